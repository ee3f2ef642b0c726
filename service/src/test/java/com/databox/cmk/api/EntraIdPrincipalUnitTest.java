package com.databox.cmk.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import java.util.List;
import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

class EntraIdPrincipalUnitTest {
    private static final String CLAIMS = """
            {"iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
             "sub": "subject-1", "aud": "api://databox-cmk", "exp": 1796000000, "iat": 1795996400,
             "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "oid": "0b3f4a38-8d2c-4b7e-9d1e-0c2f7f0e1a11",
             "azp": "client-app", "appid": "client-app", "idtyp": "app", "groups": ["Orders.ReadWrite"],
             "roles": ["Orders.ReadWrite"], "ver": "2.0", "nested": {"a": 1}}
            """;

    @Test
    void answersEveryClaimAsSmallryeJwtsOwnPrincipalDoes() throws Exception {
        EntraIdPrincipal ours = new EntraIdPrincipal("JWT", JwtClaims.parse(CLAIMS));
        DefaultJWTCallerPrincipal theirs = new DefaultJWTCallerPrincipal("JWT", JwtClaims.parse(CLAIMS));

        List<String> names = List.of(
                "iss",
                "sub",
                "aud",
                "exp",
                "iat",
                "tid",
                "oid",
                "azp",
                "appid",
                "idtyp",
                "groups",
                "roles",
                "ver",
                "nested",
                "raw_token",
                "absent",
                Claims.UNKNOWN.name());
        for (String name : names) {
            assertThat(String.valueOf((Object) ours.getClaim(name))).as(name).isEqualTo(String.valueOf((Object)
                    theirs.getClaim(name)));
        }
        assertThat(ours.getClaimNames()).isEqualTo(theirs.getClaimNames());
        assertThat(ours.getGroups()).containsExactly("Orders.ReadWrite");
        assertThat(ours.<String>getClaim("tid")).isEqualTo("72f988bf-86f1-41af-91ab-2d7cd011db47");
        assertThat(ours.getExpirationTime()).isEqualTo(1796000000L);
    }
}
