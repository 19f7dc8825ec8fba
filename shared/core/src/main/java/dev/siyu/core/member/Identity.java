package dev.siyu.core.member;

import dev.siyu.core.profile.IdentityType;

/**
 * One identity of a person as stored (value: a phone's keyed hash, an email in lower case) and as compared
 * with the blueprint's blocklist (plain: the E.164 phone, the lower-case email). toString never shows plain.
 */
public record Identity(IdentityType type, String value, String plain) {
    @Override
    public String toString() {
        return type.key() + ":" + value;
    }
}
