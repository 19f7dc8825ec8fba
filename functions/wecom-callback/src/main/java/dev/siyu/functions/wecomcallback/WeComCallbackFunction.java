package dev.siyu.functions.wecomcallback;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.quarkus.funqy.Funq;

public class WeComCallbackFunction {
    @Funq
    public APIGatewayV2HTTPResponse wecomCallback(APIGatewayV2HTTPEvent event) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("success").build();
    }
}
