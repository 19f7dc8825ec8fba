package dev.siyu.wecom;

import dev.siyu.core.port.AccessTokenCache;
import dev.siyu.core.port.WeComApi.Department;
import dev.siyu.core.port.WeComApi.DepartmentMember;
import dev.siyu.core.port.WeComApi.Member;
import dev.siyu.core.port.WeComApi.MemberIdPage;
import dev.siyu.core.port.WeComApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.bean.WxCpDepart;
import me.chanjar.weixin.cp.bean.WxCpUser;
import me.chanjar.weixin.cp.bean.user.WxCpDeptUserResult;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;

/**
 * The directory reads of {@link WxJavaWeComApi} (WxJava's WxCpDepartmentService.list, WxCpUserService.getUserListId
 * and getById) on a WxCpService of their own: WeCom answers them only to the contacts (通讯录同步) secret's access
 * token, so this service has that secret, its own token (shared under {@link WeComSettings#contactsAccessTokenKey()}
 * when a cache is given) and its own retry policy, which refreshes that token. The HTTP client is the adapter's.
 */
final class WxDirectory {
    private static final System.Logger LOG = System.getLogger(WxDirectory.class.getName());

    private final WxCpService service;
    private final WeComRetryPolicy retry;

    /** @param sharedToken the contacts token every instance shares; null for an own token */
    WxDirectory(WeComSettings settings, DeadlineHttpClient http, AccessTokenCache sharedToken) {
        String secret = settings.contactsSecret().orElseThrow(() -> new IllegalArgumentException("no contacts secret"));
        WxCpDefaultConfigImpl config = sharedToken == null ? new WxCpDefaultConfigImpl()
                : new SharedTokenConfig(sharedToken, java.time.Clock.systemUTC());
        config.setCorpId(settings.corpId());
        config.setCorpSecret(secret);
        config.setBaseApiUrl(settings.baseUrl());
        config.setApacheHttpClientBuilder(new FixedHttpClientBuilder(http));
        SingleAttemptWxCpService wx = new SingleAttemptWxCpService();
        wx.setWxCpConfigStorage(config);
        this.service = wx;
        this.retry = new WeComRetryPolicy(settings.retry(), http, config::expireAccessToken, LOG);
    }

    List<Department> departments() {
        List<WxCpDepart> all = retry.call("department/list", () -> service.getDepartmentService().list(null));
        List<Department> out = new ArrayList<>();
        for (WxCpDepart d : all == null ? List.<WxCpDepart>of() : all) {
            out.add(new Department(orZero(d.getId()), d.getName(), orZero(d.getParentId())));
        }
        return out;
    }

    MemberIdPage memberIds(String cursor, int limit) {
        String from = cursor == null || cursor.isEmpty() ? null : cursor;
        WxCpDeptUserResult r = retry.call("user/list_id", () -> service.getUserService().getUserListId(from, limit));
        List<DepartmentMember> members = new ArrayList<>();
        if (r != null && r.getDeptUser() != null) {
            for (WxCpDeptUserResult.DeptUserList line : r.getDeptUser()) {
                members.add(new DepartmentMember(line.getUserId(), orZero(line.getDepartment())));
            }
        }
        String next = r == null ? null : r.getNextCursor();
        if (next != null && !next.isEmpty() && next.equals(from)) {
            throw new WeComApiException(WeComRetryPolicy.SYSTEM_BUSY, "user/list_id answered the same next_cursor", null);
        }
        return new MemberIdPage(members, next);
    }

    Member member(String userId) {
        Objects.requireNonNull(userId, "userId");
        // WxJava appends the id to the URL as is.
        String id = java.net.URLEncoder.encode(userId, java.nio.charset.StandardCharsets.UTF_8);
        WxCpUser u = retry.call("user/get", () -> service.getUserService().getById(id));
        if (u == null) {
            throw new WeComApiException(WeComRetryPolicy.SYSTEM_BUSY, "user/get answered without a member", null);
        }
        List<Long> departments = u.getDepartIds() == null ? List.of() : Arrays.asList(u.getDepartIds());
        return new Member(u.getUserId(), u.getName(), departments, u.getStatus() == null ? 0 : u.getStatus());
    }

    private static long orZero(Long l) {
        return l == null ? 0 : l;
    }
}
