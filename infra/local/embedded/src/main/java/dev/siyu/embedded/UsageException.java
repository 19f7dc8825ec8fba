package dev.siyu.embedded;

/** A command line the CLI cannot run; Main prints the message and the usage, and exits 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
