package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A DynamoDB or SQS endpoint that accepts the connection and never answers: each call gives up within its
 * overall timeout, retries included, so a callback fails (and gives its claim back) well inside its lease.
 */
class AwsClientsTest {

    @Test
    void aCallToAnEndpointThatNeverAnswersEndsWithinItsCallTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            AwsClients clients = new AwsClients(StoreSettings.local("siyu-silent", "http://127.0.0.1:" + silent.getLocalPort()
                    + "/000000000000/q", endpoint, endpoint));

            long started = System.nanoTime();
            assertThatThrownBy(() -> clients.dynamoDb().describeTable(b -> b.tableName("siyu-silent")))
                    .isInstanceOf(SdkClientException.class);
            Duration dynamo = Duration.ofNanos(System.nanoTime() - started);
            started = System.nanoTime();
            assertThatThrownBy(() -> clients.sqs().sendMessage(b -> b.queueUrl(endpoint + "/000000000000/q")
                    .messageBody("x"))).isInstanceOf(SdkClientException.class);
            Duration sqs = Duration.ofNanos(System.nanoTime() - started);

            assertThat(dynamo).isLessThan(AwsClients.DYNAMODB_CALL_TIMEOUT.plusSeconds(1));
            assertThat(sqs).isLessThan(AwsClients.SQS_CALL_TIMEOUT.plusSeconds(1));
        }
    }
}
