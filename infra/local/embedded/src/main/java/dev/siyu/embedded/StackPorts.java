package dev.siyu.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports of the local stack; 0 lets each part pick a free one (tests, demo, bench). */
public record StackPorts(int gateway, int dynamoDb, int sqs, int wecom, int miniapp) {
    public static final StackPorts DEFAULTS = new StackPorts(3000, 8000, 9324, 3001, 3002);
    public static final StackPorts EPHEMERAL = new StackPorts(0, 0, 0, 0, 0);

    public StackPorts {
        for (int p : new int[] {gateway, dynamoDb, sqs, wecom, miniapp}) {
            if (p < 0 || p > 65535) {
                throw new UsageException("port out of range: " + p);
            }
        }
    }

    public static StackPorts from(CliArgs args) {
        return new StackPorts(args.integer("port", DEFAULTS.gateway, 0, 65535),
                args.integer("dynamodb-port", DEFAULTS.dynamoDb, 0, 65535),
                args.integer("sqs-port", DEFAULTS.sqs, 0, 65535),
                args.integer("wecom-port", DEFAULTS.wecom, 0, 65535),
                args.integer("miniapp-port", DEFAULTS.miniapp, 0, 65535));
    }

    /** True when every fixed port can be bound now (0 always can). */
    public boolean allFree() {
        for (int p : new int[] {gateway, dynamoDb, sqs, wecom, miniapp}) {
            if (p != 0 && !free(p)) {
                return false;
            }
        }
        return true;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
