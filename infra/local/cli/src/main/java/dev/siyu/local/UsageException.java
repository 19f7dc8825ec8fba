package dev.siyu.local;

/** A command line the CLI cannot run; Main prints the message and the usage, and exits 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
