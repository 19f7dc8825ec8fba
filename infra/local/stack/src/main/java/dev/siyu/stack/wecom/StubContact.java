package dev.siyu.stack.wecom;

import java.util.List;

/**
 * An external contact (customer) the stub answers {@code externalcontact/get} with, instead of
 * the synthesized one every unknown id gets.
 *
 * @param gender      WeCom's 0 unknown, 1 male, 2 female
 * @param followUsers staff user ids the customer has added; mark_tag adds to these as WeCom would
 */
public record StubContact(String externalUserId, String name, String avatar, String unionId, int gender,
                          List<String> followUsers) {

    public StubContact {
        // IllegalArgumentException rather than NPE: the control API turns it into a 400 with this text.
        if (externalUserId == null || externalUserId.isBlank()) {
            throw new IllegalArgumentException("external_userid is required");
        }
        if (name == null) {
            throw new IllegalArgumentException("name is required");
        }
        avatar = avatar == null ? "" : avatar;
        followUsers = followUsers == null ? List.of() : List.copyOf(followUsers);
    }

    public StubContact(String externalUserId, String name, String avatar, String unionId) {
        this(externalUserId, name, avatar, unionId, 0, List.of());
    }
}
