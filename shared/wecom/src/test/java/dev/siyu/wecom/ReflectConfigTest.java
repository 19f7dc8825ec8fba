package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import me.chanjar.weixin.cp.bean.WxCpBaseResp;
import me.chanjar.weixin.cp.bean.external.WxCpAddMomentResult;
import me.chanjar.weixin.cp.bean.external.WxCpAddMomentTask;
import me.chanjar.weixin.cp.bean.external.WxCpContactWayInfo;
import me.chanjar.weixin.cp.bean.external.WxCpContactWayResult;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalTagGroupInfo;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalTagGroupList;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplate;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplateAddResult;
import me.chanjar.weixin.cp.bean.external.WxCpUserExternalUnassignList;
import me.chanjar.weixin.cp.bean.external.WxCpUserTransferCustomerReq;
import me.chanjar.weixin.cp.bean.external.WxCpUserTransferCustomerResp;
import me.chanjar.weixin.cp.bean.external.WxCpUserTransferResultResp;
import me.chanjar.weixin.cp.bean.external.WxCpWelcomeMsg;
import me.chanjar.weixin.cp.bean.message.WxCpMessageSendResult;
import me.chanjar.weixin.cp.bean.external.WxCpGetMomentList;
import me.chanjar.weixin.cp.bean.external.contact.WxCpExternalContactInfo;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgListResult;
import me.chanjar.weixin.cp.bean.external.contact.WxCpGroupMsgSendResult;
import org.junit.jupiter.api.Test;

/**
 * The native-image reflect-config lists exactly the WxJava beans Gson reflects over for the calls
 * WxJavaWeComApi makes. Gson builds an adapter for every field type of a bean up front, used or
 * not, so the list is the closure over field types, computed here rather than kept by hand.
 * Regenerate with {@code -Dsiyu.reflect.regenerate=true} after binding a new bean.
 */
class ReflectConfigTest {

    /** The beans WxJavaWeComApi and WxJavaMiniProgram hand to or get from Gson (WxError and WxAccessToken have adapters). */
    static final List<Class<?>> ROOTS = List.of(
            WxCpExternalContactInfo.class,          // contact
            WxCpContactWayInfo.ContactWay.class,    // addContactWay request
            WxCpContactWayResult.class,             // addContactWay answer
            WxCpWelcomeMsg.class,                   // sendWelcome request
            WxCpUserExternalTagGroupList.class,     // corpTags answer
            WxCpUserExternalTagGroupInfo.class,     // addCorpTag request (its TagGroup) and answer
            WxCpBaseResp.class,                     // markTag answer
            WxCpMsgTemplate.class,                  // addMsgTemplate request
            WxCpMsgTemplateAddResult.class,         // addMsgTemplate answer
            WxCpMessageSendResult.class,            // notifyStaff answer (WxCpMessage writes its own JSON)
            WxCpAddMomentTask.class,                // addMomentTask request
            WxCpAddMomentResult.class,              // addMomentTask answer
            WxCpUserExternalUnassignList.class,     // unassigned answer
            WxCpUserTransferCustomerReq.class,      // transferCustomers request
            WxCpUserTransferCustomerResp.class,     // transferCustomers answer
            WxCpUserTransferResultResp.class,       // transferResult answer
            WxCpGroupMsgListResult.class,           // groupMsgList answer
            WxCpGroupMsgSendResult.class,           // groupMsgSendResult answer
            WxCpGetMomentList.class,                // momentList answer
            me.chanjar.weixin.cp.bean.user.WxCpDeptUserResult.class, // memberIds answer (user/list_id)
            cn.binarywang.wx.miniapp.bean.WxMaJscode2SessionResult.class,   // WxJavaMiniProgram.session answer
            cn.binarywang.wx.miniapp.bean.WxMaPhoneNumberInfo.class,        // phoneNumber answer
            cn.binarywang.wx.miniapp.bean.WxMaSubscribeMessage.class);      // sendSubscription request

    static final Path CONFIG = Path.of("src/main/resources/META-INF/native-image/dev.siyu/siyu-wecom/reflect-config.json");

    @Test
    void reflectConfigListsTheClosureOfTheBoundBeans() throws IOException {
        String expected = render(closure());
        if (Boolean.getBoolean("siyu.reflect.regenerate")) {
            Files.writeString(CONFIG, expected, StandardCharsets.UTF_8);
        }
        JsonNode committed = new ObjectMapper().readTree(Files.readString(CONFIG));
        List<String> names = new ArrayList<>();
        committed.forEach(n -> names.add(n.path("name").asText()));
        assertThat(names)
                .as("reflect-config.json is stale: run the build with -Dsiyu.reflect.regenerate=true")
                .containsExactlyElementsOf(closure());
        assertThat(Files.readString(CONFIG)).isEqualTo(expected);
    }

    static Set<String> closure() {
        Set<String> seen = new TreeSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(ROOTS);
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (!(c.getName().startsWith("me.chanjar.weixin.") || c.getName().startsWith("cn.binarywang.wx."))
                    || !seen.add(c.getName())) {
                continue;
            }
            if (c.getSuperclass() != null) {
                todo.push(c.getSuperclass());
            }
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
                    collect(f.getGenericType(), todo);
                }
            }
        }
        return seen;
    }

    private static void collect(Type t, Deque<Class<?>> todo) {
        if (t instanceof Class<?> c) {
            todo.push(c.isArray() ? c.getComponentType() : c);
        } else if (t instanceof ParameterizedType p) {
            collect(p.getRawType(), todo);
            for (Type a : p.getActualTypeArguments()) {
                collect(a, todo);
            }
        } else if (t instanceof GenericArrayType g) {
            collect(g.getGenericComponentType(), todo);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                collect(b, todo);
            }
        }
    }

    private static String render(Set<String> names) {
        StringBuilder sb = new StringBuilder("[\n");
        int i = 0;
        for (String name : names) {
            sb.append("  {\"name\": \"").append(name)
                    .append("\", \"allDeclaredConstructors\": true, \"allDeclaredFields\": true}")
                    .append(++i < names.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }
}
