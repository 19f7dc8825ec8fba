package dev.siyu.local;

import dev.siyu.embedded.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The deployed stack's {@code TimeZone} parameter, read with CloudFormation's DescribeStacks (the Query
 * API, signed with SigV4 by the SDK's signer: the CLI carries no CloudFormation client for one call).
 * The scheduled jobs run in that zone, fixed at deploy time; a blueprint in another zone would have its
 * 02:00 jobs run at some other local hour.
 */
final class StackTimeZone {
    static final String PARAMETER = "TimeZone";

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;

    /** @param endpoint CloudFormation's endpoint; null: the region's public one */
    StackTimeZone(URI endpoint, String region, AwsCredentialsProvider credentials) {
        // The China regions (cn-north-1, cn-northwest-1, where a WeCom brand often deploys) have their own domain.
        this.endpoint = endpoint != null ? endpoint
                : URI.create("https://cloudformation." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn/" : ".amazonaws.com/"));
        this.region = region;
        this.credentials = credentials;
    }

    /**
     * A loopback endpoint (a test's stand-in) is signed with placeholder credentials, as the local stores
     * are; any other (AWS's, a VPC or FIPS endpoint) with the caller's.
     */
    static StackTimeZone of(URI endpoint, String region) {
        boolean loopback = endpoint != null && ("127.0.0.1".equals(endpoint.getHost()) || "localhost".equals(endpoint.getHost()));
        return new StackTimeZone(endpoint, region, loopback
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build());
    }

    String of(String stack) {
        String query = "Action=DescribeStacks&Version=2010-05-15&StackName=" + URLEncoder.encode(stack, StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(endpoint.toString().replaceAll("/?$", "/") + "?" + query)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveIdentity().join())
                .request(request).putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "cloudformation")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try (SdkHttpClient http = UrlConnectionHttpClient.create()) {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request()).build())
                    .call();
            int status = response.httpResponse().statusCode();
            Document body = response.responseBody().map(StackTimeZone::parse).orElse(null);
            if (status != 200 || body == null) {
                throw new UsageException("cannot read stack " + stack + " in " + region + " (CloudFormation answered "
                        + status + (body == null ? "" : ": " + text(body.getDocumentElement(), "Message")) + ")");
            }
            NodeList parameters = body.getElementsByTagName("Parameters");
            for (int i = 0; i < parameters.getLength(); i++) {
                NodeList members = ((Element) parameters.item(i)).getElementsByTagName("member");
                for (int j = 0; j < members.getLength(); j++) {
                    Element m = (Element) members.item(j);
                    if (PARAMETER.equals(text(m, "ParameterKey"))) {
                        return text(m, "ParameterValue");
                    }
                }
            }
            throw new UsageException("stack " + stack + " has no " + PARAMETER + " parameter: deploy the current template first");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach CloudFormation at " + endpoint, e);
        }
    }

    private static String text(Element e, String tag) {
        NodeList n = e.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
    }

    private static Document parse(InputStream in) {
        try (in) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(in);
        } catch (IOException | ParserConfigurationException | SAXException e) {
            return null;
        }
    }
}
