package com.databox.cmk.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;

/**
 * API Gateway's HTTP API hands the function the path decoded ({@code rawPath} too): a client's {@code %20} arrives
 * as a space, which no request line holds, and Quarkus' Lambda handler failed on it with its own {@code 500
 * {"message":"Internal Server Error"}} and a stack trace at ERROR (bug bash lp1). Every character a URI path does
 * not hold as it is is encoded again before that handler reads the path, so the app answers it as it answers the
 * encoded path on Azure (api/CanonicalPaths, then the route's rules). Escapes API Gateway decoded into a path's own
 * characters ({@code %2F}, {@code %61}) cannot be told from them, and stay as they arrive. A named stage's segment
 * ({@link GatewayStage}) is cut from the path first: the app's routes start at {@code /api} (review rv15 F3: a named
 * stage's every request was {@code 404}).
 */
@Decorator
@Priority(1)
public abstract class GatewayDecodedPath implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Inject
    @Delegate
    @Any
    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event != null && event.getRawPath() != null) {
            String path = event.getRawPath();
            String stage = GatewayStage.segment(event).orElse("");
            if (!stage.isEmpty() && (path.equals(stage) || path.startsWith(stage + "/"))) {
                path = path.substring(stage.length());
            }
            event.setRawPath(encoded(path.isEmpty() ? "/" : path));
        }
        return handler.handleRequest(event, context);
    }

    /** RFC 3986's path characters as they are ('%' too, whose escapes the app checks); every other one's UTF-8 escaped. */
    static String encoded(String path) {
        StringBuilder out = new StringBuilder(path.length());
        path.codePoints().forEach(c -> {
            if (c < 0x80 && isPathCharacter((char) c)) {
                out.append((char) c);
                return;
            }
            for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)));
                out.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        });
        return out.toString();
    }

    private static boolean isPathCharacter(char c) {
        return c >= 'a' && c <= 'z'
                || c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@/%".indexOf(c) >= 0;
    }
}
