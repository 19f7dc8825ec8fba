package dev.siyu.models.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 client of the model bucket: the URL-connection HTTP client as shared/store's clients use (small, fast to start). */
public final class ModelBucket {
    private ModelBucket() {
    }

    /**
     * @param endpoint an S3-compatible server instead of AWS's (tests, a local server); path-style addressing then,
     *                 as such servers on 127.0.0.1 expect
     */
    public static S3Client client(String region, Optional<URI> endpoint) {
        var builder = S3Client.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build());
        endpoint.ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
        return builder.build();
    }
}
