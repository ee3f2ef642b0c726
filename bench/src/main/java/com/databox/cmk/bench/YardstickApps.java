package com.databox.cmk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The yardsticks the app is set against, generated under target/ with the project's Quarkus and
 * Azure SDK versions and built in the same run, in the jar layout the app ships (aot-jar):
 * <ul>
 *   <li>minimal: Quarkus REST, one resource answering 200;
 *   <li>floor: the least {@code GET /api/orders?top=1} and {@code GET /api/orders/{name}} need,
 *       Quarkus REST with Jackson, smallrye-jwt checking the same Entra ID tokens, and one
 *       Azure Tables read (the SDK jars unsigned, as the app ships them).
 * </ul>
 */
final class YardstickApps {
    private YardstickApps() {}

    /** Generates and packages both, concurrently; answers their quarkus-app directories. */
    static Map<String, Path> build(Path root, Path dir, Path logs) throws IOException, InterruptedException {
        String pom = Files.readString(root.resolve("pom.xml"));
        Process minimal =
                start(root, generate(dir.resolve("minimal"), pom, MINIMAL), logs.resolve("minimal-build.log"));
        Process floor = start(root, generate(dir.resolve("floor"), pom, FLOOR), logs.resolve("floor-build.log"));
        await(minimal, "minimal", logs.resolve("minimal-build.log"));
        await(floor, "floor", logs.resolve("floor-build.log"));
        return Map.of(
                "minimal", dir.resolve("minimal/target/quarkus-app"),
                "floor", dir.resolve("floor/target/quarkus-app"));
    }

    private record Spec(String artifact, String dependencies, Map<String, String> sources, String properties) {}

    private static final String COMMON_PROPERTIES =
            "quarkus.http.host=127.0.0.1\nquarkus.banner.enabled=false\nquarkus.package.jar.type=aot-jar\n";

    private static final Spec MINIMAL =
            new Spec("minimal-quarkus-rest", """
                    <dependency>
                      <groupId>io.quarkus</groupId>
                      <artifactId>quarkus-rest</artifactId>
                    </dependency>
            """, Map.of("bench/minimal/HelloResource.java", """
                    package bench.minimal;

                    import jakarta.ws.rs.GET;
                    import jakarta.ws.rs.Path;

                    @Path("/hello")
                    public class HelloResource {
                        @GET
                        public String hello() {
                            return "hello";
                        }
                    }
                    """), COMMON_PROPERTIES);

    private static final String UNSIGNED =
            List.of("azure-core", "azure-core-http-vertx", "azure-json", "azure-xml").stream()
                    .map(a -> "quarkus.class-loading.removed-resources.\"com.azure\\:" + a
                            + "\"=META-INF/MSFTSIG.SF,META-INF/MSFTSIG.RSA\n")
                    .reduce("", String::concat);

    private static final Spec FLOOR = new Spec(
            "floor-quarkus-rest-jwt-tables",
            """
                    <dependency>
                      <groupId>io.quarkus</groupId>
                      <artifactId>quarkus-rest-jackson</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>io.quarkus</groupId>
                      <artifactId>quarkus-smallrye-jwt</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>com.azure</groupId>
                      <artifactId>azure-data-tables</artifactId>
                      <version>%azure-data-tables.version%</version>
                      <exclusions>
                        <exclusion>
                          <groupId>com.azure</groupId>
                          <artifactId>azure-core-http-netty</artifactId>
                        </exclusion>
                      </exclusions>
                    </dependency>
                    <dependency>
                      <groupId>com.azure</groupId>
                      <artifactId>azure-core-http-vertx</artifactId>
                      <version>%azure-core-http-vertx.version%</version>
                    </dependency>
            """,
            Map.of("bench/floor/OrdersResource.java", """
                    package bench.floor;

                    import com.azure.core.http.vertx.VertxHttpClientBuilder;
                    import com.azure.data.tables.TableClient;
                    import com.azure.data.tables.TableClientBuilder;
                    import com.azure.data.tables.models.ListEntitiesOptions;
                    import io.vertx.core.Vertx;
                    import jakarta.annotation.security.RolesAllowed;
                    import jakarta.inject.Inject;
                    import jakarta.ws.rs.GET;
                    import jakarta.ws.rs.Path;
                    import jakarta.ws.rs.PathParam;
                    import jakarta.ws.rs.QueryParam;
                    import java.util.List;
                    import java.util.Map;
                    import org.eclipse.microprofile.config.inject.ConfigProperty;

                    @Path("/api/orders")
                    @RolesAllowed("Orders.Read")
                    public class OrdersResource {
                        @Inject
                        Vertx vertx;

                        @Inject
                        org.eclipse.microprofile.jwt.JsonWebToken jwt;

                        @ConfigProperty(name = "floor.connection-string")
                        String connectionString;

                        private volatile TableClient table;

                        private TableClient table() {
                            TableClient t = table;
                            if (t == null) {
                                synchronized (this) {
                                    if (table == null) {
                                        table = new TableClientBuilder()
                                                .connectionString(connectionString)
                                                .tableName("orders")
                                                .httpClient(new VertxHttpClientBuilder().vertx(vertx).build())
                                                .buildClient();
                                    }
                                    t = table;
                                }
                            }
                            return t;
                        }

                        @GET
                        public List<String> list(@QueryParam("top") Integer top) {
                            var options = new ListEntitiesOptions().setFilter("RowKey eq 'order'")
                                    .setTop(top == null ? 100 : top).setSelect(List.of("PartitionKey"));
                            var pages = table().listEntities(options, null, null).iterableByPage().iterator();
                            return pages.hasNext()
                                    ? pages.next().getValue().stream().map(e -> e.getPartitionKey()).toList()
                                    : List.of();
                        }

                        @GET
                        @Path("/{name}")
                        public Map<String, Object> get(@PathParam("name") String name) {
                            // The app's layout: partition = the caller's tenant, row = order~{name}.
                            return table().getEntity(jwt.<String>getClaim("tid"), "order~" + name).getProperties();
                        }
                    }
                    """),
            COMMON_PROPERTIES + """
                    quarkus.http.auth.proactive=false
                    mp.jwt.verify.issuer=${ENTRA_ISSUER}
                    mp.jwt.verify.publickey.location=${ENTRA_JWKS_URI}
                    mp.jwt.verify.audiences=${ENTRA_AUDIENCE}
                    mp.jwt.verify.publickey.algorithm=RS256
                    smallrye.jwt.path.groups=roles
                    """ + UNSIGNED);

    private static Path generate(Path dir, String rootPom, Spec spec) throws IOException {
        String dependencies = spec.dependencies()
                .replace("%azure-data-tables.version%", property(rootPom, "azure-data-tables.version"))
                .replace("%azure-core-http-vertx.version%", property(rootPom, "azure-core-http-vertx.version"));
        Files.createDirectories(dir.resolve("src/main/resources"));
        Files.writeString(dir.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <!-- Generated by the benchmark harness (bench/): a yardstick. -->
                  <groupId>bench</groupId>
                  <artifactId>%3$s</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>21</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencyManagement>
                    <dependencies>
                      <!-- The app's own patch releases over Quarkus's (the root pom), so that both run the same. -->
                      <dependency>
                        <groupId>com.fasterxml.jackson</groupId>
                        <artifactId>jackson-bom</artifactId>
                        <version>%6$s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                      <dependency>
                        <groupId>io.netty</groupId>
                        <artifactId>netty-bom</artifactId>
                        <version>%7$s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                      <dependency>
                        <groupId>io.quarkus</groupId>
                        <artifactId>quarkus-bom</artifactId>
                        <version>%1$s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                      <dependency>
                        <groupId>com.azure</groupId>
                        <artifactId>azure-sdk-bom</artifactId>
                        <version>%4$s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                %5$s
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>io.quarkus</groupId>
                        <artifactId>quarkus-maven-plugin</artifactId>
                        <version>%1$s</version>
                        <extensions>true</extensions>
                        <executions>
                          <execution>
                            <goals>
                              <goal>build</goal>
                            </goals>
                          </execution>
                        </executions>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>%2$s</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(
                        property(rootPom, "quarkus.version"),
                        property(rootPom, "compiler-plugin.version"),
                        spec.artifact(),
                        property(rootPom, "azure-sdk-bom.version"),
                        dependencies,
                        property(rootPom, "jackson-bom.version"),
                        property(rootPom, "netty-bom.version")));
        for (var source : spec.sources().entrySet()) {
            Path file = dir.resolve("src/main/java").resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
        }
        Files.writeString(dir.resolve("src/main/resources/application.properties"), spec.properties());
        return dir;
    }

    private static Process start(Path root, Path dir, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                root.resolve("mvnw").toString(),
                "-B",
                "-q",
                "-f",
                dir.resolve("pom.xml").toString(),
                "package",
                "-DskipTests"));
        return new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void await(Process build, String name, Path log) throws InterruptedException {
        if (!build.waitFor(6, TimeUnit.MINUTES) || build.exitValue() != 0) {
            build.destroyForcibly();
            throw new IllegalStateException("The " + name + " app did not build; see " + log);
        }
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        if (!m.find()) {
            throw new UncheckedIOException(new IOException("No " + name + " in pom.xml"));
        }
        return m.group(1).trim();
    }
}
