package dev.siyu.core.miniapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.ingest.BadInput;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.member.Identity;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.IdentityResolver;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The member's own profile: read it, edit it (a partial document: absent fields stay as they are, null clears),
 * import the WeChat nickname and avatar (one-tap authorization), link the phone through getPhoneNumber.
 */
final class ProfileRoutes {
    static final Set<String> EDITABLE = Set.of("name", "gender", "date_of_birth", "avatar", "address", "language",
            "time_zone");
    private static final System.Logger LOG = System.getLogger(ProfileRoutes.class.getName());

    private final MemberDetailsStore details;
    private final MiniProgram wechat;
    private final PhoneSeal phones;
    private final IdentityKeys keys;
    private final ObjectMapper json = new ObjectMapper();

    ProfileRoutes(MemberDetailsStore details, MiniProgram wechat, PhoneSeal phones, IdentityKeys keys) {
        this.details = details;
        this.wechat = wechat;
        this.phones = phones;
        this.keys = keys;
    }

    Optional<MemberEndpoint.Reply> route(MemberEndpoint.Member m, String method, List<String> s, byte[] body) {
        if (s.size() == 1 && "GET".equals(method)) {
            return Optional.of(me(m));
        }
        if (s.size() == 1 && "PUT".equals(method)) {
            return Optional.of(edit(m, MemberInput.of(body)));
        }
        if (s.size() == 2 && "authorize".equals(s.get(1)) && "POST".equals(method)) {
            return Optional.of(authorize(m, MemberInput.of(body)));
        }
        if (s.size() == 2 && "phone".equals(s.get(1)) && "POST".equals(method)) {
            return Optional.of(phone(m, MemberInput.of(body)));
        }
        return Optional.empty();
    }

    MemberEndpoint.Reply me(MemberEndpoint.Member m) {
        CustomerProfile p = m.profile();
        MemberDetails d = details.details(m.tenant(), m.customerId()).orElse(MemberDetails.empty(m.customerId()));
        ObjectNode out = json.createObjectNode();
        out.put("customer_id", p.customerId());
        out.put("openid", p.identities().getOrDefault(IdentityType.OPENID.key(), m.openid()));
        out.put("unionid", p.identities().get(IdentityType.UNIONID.key()));
        out.put("name", p.name());
        out.put("gender", d.gender());
        out.put("date_of_birth", d.dateOfBirth() == null ? null : d.dateOfBirth().toString());
        out.put("avatar", p.avatar());
        out.put("address", d.address());
        out.put("language", d.language());
        out.put("time_zone", d.timeZone());
        out.put("phone", d.phoneMasked());
        ObjectNode linked = out.putObject("linked_accounts");
        linked.put("openid", p.identities().containsKey(IdentityType.OPENID.key()));
        linked.put("unionid", p.identities().containsKey(IdentityType.UNIONID.key()));
        linked.put("phone", d.phoneSealed() != null);
        linked.put("wecom_friend", p.externalUserId() != null && !p.activeStaff().isEmpty());
        out.put("tier", m.services().engine().config().membership().tierShown(p.activity().points().tier(),
                p.activity().points().earned()));
        out.put("points", p.activity().points().balance());
        return new MemberEndpoint.Reply(200, out.toString());
    }

    /** Every field is read and checked before anything is written: one bad field writes nothing. */
    private MemberEndpoint.Reply edit(MemberEndpoint.Member m, MemberInput in) {
        in.only(EDITABLE);
        LocalDate today = LocalDate.ofInstant(m.now(), ZoneOffset.ofHours(14));
        Optional<String> name = in.text("name", 64);
        Optional<String> gender = in.oneOf("gender", MemberInput.GENDERS);
        Optional<LocalDate> dob = in.birthDate("date_of_birth", today);
        Optional<String> avatar = in.httpsUrl("avatar");
        Optional<String> address = in.text("address", 200);
        Optional<String> language = in.language("language");
        Optional<String> zone = in.timeZone("time_zone");
        if (in.isNull("name") || in.isNull("avatar")) {
            throw new BadInput(in.isNull("name") ? "name" : "avatar", "may not be cleared, only replaced");
        }
        List<String> changed = new ArrayList<>();
        for (String f : EDITABLE) {
            if (in.has(f)) {
                changed.add(f);
            }
        }
        changed.sort(null);
        if (changed.isEmpty()) {
            return me(m);
        }
        if (name.isPresent() || avatar.isPresent()) {
            m.services().engine().ports().customers().update(m.tenant(), m.customerId(),
                    p -> p.withContact(name.orElse(null), avatar.orElse(null), m.now()), List.of());
        }
        String notification = "profile-" + m.now().toEpochMilli();
        details.update(m.tenant(), m.customerId(), d -> d.withPersonal(
                pick(in, "gender", gender, d.gender()),
                in.has("date_of_birth") ? dob.orElse(null) : d.dateOfBirth(),
                pick(in, "address", address, d.address()),
                pick(in, "language", language, d.language()),
                pick(in, "time_zone", zone, d.timeZone()))
                .notified(new MemberDetails.Notification(notification, "profile_update", "Profile updated",
                        "Changed: " + String.join(", ", changed), m.now(), false)));
        m.services().engine().ports().customers().append(m.tenant(), m.customerId(), List.of(new TimelineEvent(
                notification, m.now(), "profile_updated", null, Map.of("fields", String.join(",", changed),
                "channel", MemberEndpoint.CHANNEL))));
        // Field names only: an address or a birthday never reaches a log.
        LOG.log(Level.INFO, JsonLog.line("member profile edited", "tenant", m.tenant(), "customer", m.customerId(),
                "fields", String.join(",", changed)));
        return me(m);
    }

    /** One-tap authorization: the WeChat nickname and avatar the member chose to share. */
    private MemberEndpoint.Reply authorize(MemberEndpoint.Member m, MemberInput in) {
        in.only(Set.of("nickname", "avatar_url"));
        String nickname = in.required("nickname", 64);
        Optional<String> avatar = in.httpsUrl("avatar_url");
        m.services().engine().ports().customers().update(m.tenant(), m.customerId(),
                p -> p.withContact(nickname, avatar.orElse(null), m.now()),
                List.of(new TimelineEvent("authorized-" + m.now().toEpochMilli(), m.now(), "profile_authorized", null,
                        Map.of("channel", MemberEndpoint.CHANNEL))));
        return me(m);
    }

    /**
     * getPhoneNumber's code -> the number in E.164 -> sealed on the member's details and linked through its keyed
     * hash (IdentityResolver: a customer already known by it, a POS member say, is the same person and merges).
     */
    private MemberEndpoint.Reply phone(MemberEndpoint.Member m, MemberInput in) {
        in.only(Set.of("code"));
        String code = in.required("code", 128);
        if (!code.matches("[A-Za-z0-9_-]{1,128}")) {
            throw new BadInput("code", "must be the code getPhoneNumber gave");
        }
        String raw = wechat.phoneNumber(code);
        Identity phone = keys.of(IdentityType.PHONE, raw)
                .orElseThrow(() -> new BadInput("code", "gave a number that is not a phone number"));
        IdentityResolver.Resolution r = m.services().identities().resolve(m.tenant(), List.of(
                new Identity(IdentityType.OPENID, m.openid(), m.openid()), phone), false, MemberEndpoint.CHANNEL,
                m.now());
        if (!r.refused().isEmpty()) {
            LOG.log(Level.WARNING, JsonLog.line("member phone not linked", "tenant", m.tenant(), "customer",
                    m.customerId(), "refused", String.join(",", r.refused())));
            return MemberEndpoint.error(409, "phone", "cannot be linked to this member ("
                    + String.join(", ", r.refused()) + ")");
        }
        String owner = r.customerId().orElse(m.customerId());
        details.update(m.tenant(), owner, d -> d.withPhone(phones.seal(owner, phone.plain()),
                PhoneSeal.masked(phone.plain())));
        LOG.log(Level.INFO, JsonLog.line("member phone linked", "tenant", m.tenant(), "customer", owner));
        return me(new MemberEndpoint.Member(m.services(), m.tenant(), owner, m.openid(), m.now()));
    }

    private static String pick(MemberInput in, String field, Optional<String> given, String had) {
        return in.has(field) ? given.orElse(null) : had;
    }
}
