package dev.siyu.core.profile;

/** The identities that can point at one customer (alias items, docs/data-model.md). */
public enum IdentityType {
    EXTERNAL_USERID("external_userid"), OPENID("openid"), UNIONID("unionid"), PHONE("phone"), POS("pos"), EMAIL("email");

    private final String key;

    IdentityType(String key) {
        this.key = key;
    }

    /** The name used in table keys and JSON. */
    public String key() {
        return key;
    }
}
