package dev.siyu.functions.journeyworker;

/**
 * The mock event server's port in this module's tests (application.properties, %test): not the
 * default 8081, so this module's tests and another function's can run at the same time.
 */
final class JourneyWorkerTestPort {
    static final int PORT = 8085;

    private JourneyWorkerTestPort() {
    }
}
