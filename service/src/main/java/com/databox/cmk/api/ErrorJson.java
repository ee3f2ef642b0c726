package com.databox.cmk.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The contract's one error shape: {@code {"error":{code,message,target,resolution}}}. */
@RegisterForReflection
public record ErrorJson(Detail error) {
    @RegisterForReflection
    @Schema(name = "ErrorDetail")
    public record Detail(
            String code,
            String message,
            @Schema(nullable = true) String target,
            @Schema(nullable = true) String resolution) {}

    static ErrorJson of(String code, String message, String target, String resolution) {
        return new ErrorJson(new Detail(code, message, target, resolution));
    }
}
