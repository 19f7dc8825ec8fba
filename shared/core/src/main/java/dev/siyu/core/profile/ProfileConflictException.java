package dev.siyu.core.profile;

/**
 * A profile write found a newer version stored than the copy it was made from. {@link
 * dev.siyu.core.port.CustomerStore#save} throws it at once; {@link dev.siyu.core.port.CustomerStore#update}
 * re-reads and re-applies its change, and throws it only after the profile kept changing under it.
 */
public final class ProfileConflictException extends RuntimeException {
    public ProfileConflictException(String tenant, String customerId, long expectedVersion) {
        super("profile " + tenant + "/" + customerId + " is no longer at version " + expectedVersion);
    }

    public ProfileConflictException(String message) {
        super(message);
    }
}
