package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.core.http.HttpClient;
import com.databox.cmk.encryption.KeyVaultGateway;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.order.IdentityUse;
import com.databox.cmk.order.OrderEvent;
import com.databox.cmk.order.OrderName;
import com.databox.cmk.order.OrderRef;
import com.databox.cmk.order.TenantId;
import com.databox.cmk.outbox.CmkEvent;
import com.databox.cmk.outbox.CmkEvents;
import com.databox.cmk.sweep.IdentityRegistry;
import com.databox.cmk.testing.inmemory.InMemoryOrders;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Issue 16 (start-up): the services are wired without reaching ARM, Key Vault, the identity
 * registry or the service's credential, so the first listing builds none of them (their CDI beans
 * are built on first use); listing orders needs only the orders' table.
 */
class ServiceBeansTest {
    private final List<String> touched = new ArrayList<>();

    @Test
    void wiringTheServicesAndListingOrdersReachesOnlyTheOrders() {
        CmkConfig config = config();
        InMemoryOrders orders = new InMemoryOrders();
        StorageClients storage = new StorageClients(config.storage(), neverCalled(), () -> {
            touched.add("the service's credential");
            throw new AssertionError("no credential expected");
        });

        // No ARM directory at all: wiring the services must not ask it anything.
        CmkServices services = new ServiceBeans()
                .services(
                        orders,
                        orders,
                        null,
                        tripwire(IdentityUse.class),
                        tripwire(IdentityRegistry.class),
                        tripwire(KeyVaultGateway.class),
                        config,
                        storage,
                        new ObjectMapper());

        assertThat(services.orders()
                        .list(new TenantId("72f988bf-86f1-41af-91ab-2d7cd011db47"), 1, null)
                        .orders())
                .isEmpty();
        assertThat(touched).isEmpty();
    }

    @Test
    void anEventIsPublishedInOneTryTheOutboxSweepBeingTheRetry() {
        AtomicInteger tries = new AtomicInteger();
        StorageClients storage = new StorageClients(
                config().storage(),
                request -> {
                    tries.incrementAndGet();
                    return Mono.error(new TimeoutException("the queue did not answer"));
                },
                () -> {
                    throw new AssertionError("no credential expected");
                });
        CmkEvents events = ServiceBeans.events(config(), storage, new ObjectMapper());
        OrderRef order = new OrderRef(new TenantId("72f988bf-86f1-41af-91ab-2d7cd011db47"), new OrderName("order-1"));

        Throwable failure = catchThrowable(() -> events.publish(new CmkEvent(
                order,
                new OrderEvent(
                        UUID.randomUUID(),
                        OrderEvent.Type.KeyAccessLost,
                        Instant.now(),
                        null,
                        null,
                        ErrorCode.SsemUserErrorEncryptionKeyDisabled,
                        "lost"))));

        assertThat(failure).isInstanceOf(ServiceException.class);
        assertThat(tries).as("tries of the queue's first call").hasValue(1);
    }

    private <T> T tripwire(Class<T> port) {
        return port.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {port}, (p, m, a) -> {
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("equals") ? p == a[0] : m.getName().equals("hashCode") ? 0 : port.getName();
            }
            touched.add(port.getSimpleName() + "." + m.getName());
            throw new AssertionError("not expected: " + port.getSimpleName() + "." + m.getName());
        }));
    }

    private static HttpClient neverCalled() {
        return request -> Mono.error(new AssertionError("no call expected: " + request.getUrl()));
    }

    private static CmkConfig config() {
        return TestCmkConfigs.with(Map.of());
    }
}
