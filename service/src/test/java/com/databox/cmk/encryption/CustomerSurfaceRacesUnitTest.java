package com.databox.cmk.encryption;

import static com.databox.cmk.testing.inmemory.InMemoryStack.ACTOR;
import static com.databox.cmk.testing.inmemory.InMemoryStack.CALLER;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.audit.AuditReport;
import com.databox.cmk.audit.AuditService;
import com.databox.cmk.audit.AuditSettings;
import com.databox.cmk.audit.AuditShard;
import com.databox.cmk.order.IdentityUpdate;
import com.databox.cmk.order.IfMatch;
import com.databox.cmk.order.KeyHealth;
import com.databox.cmk.order.KeyIdentity;
import com.databox.cmk.order.Order;
import com.databox.cmk.order.RequestedKeyUrl;
import com.databox.cmk.testing.inmemory.InMemoryKeyVault.Permission;
import com.databox.cmk.testing.inmemory.InMemoryStack;
import com.databox.cmk.testing.inmemory.InMemoryStack.CustomerKey;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Requests on the customer surface meeting a change answered meanwhile, with the timing forced by the in-memory
 * stack's hooks (bug bash of 2026-12-06, races on the customer surface).
 */
class CustomerSurfaceRacesUnitTest {
    private final InMemoryStack stack =
            new InMemoryStack(new AuditSettings(3, 4, Duration.ofMillis(200), Duration.ofHours(1)));
    private final EncryptionService encryption = stack.encryption();

    /**
     * listCredentials reads the order; a change to another key is answered, and the old key retired. The order was
     * usable all along, so the answer is the password, not the old key's refusal (F2).
     */
    @Test
    void listCredentialsMeetingAKeyChangeAndTheOldKeyRetiredAnswersThePassword() {
        CustomerKey k1 = stack.customerKey();
        CustomerKey k2 = stack.customerKey();
        stack.keyVault.grantAll(k2.vaultUrl(), k1.wrappingIdentity());
        Order order = stack.customerManagedOrder(k1, k1.keyUrl());
        String password = stack.revealPassword(order.ref());
        stack.orders.afterNextRead(() -> {
            encryption.changeKey(order.ref(), RequestedKeyUrl.read(k2.keyUrl()), false, null, IfMatch.ABSENT, ACTOR);
            stack.keyVault.revoke(k1.vaultUrl(), k1.wrappingIdentity(), Permission.values());
        });

        assertThat(stack.revealPassword(order.ref())).isEqualTo(password);
    }

    /**
     * The audit reads an order whose access is lost; the customer fixes it (change identity) before the audit
     * records. Its verdict, the same as the health it read, wrote nothing, and it was still a finding of the run
     * for an order healthy now; an order changed while audited gets no verdict this run (API.md) (F3).
     */
    @Test
    void anOrderFixedWhileItWasAuditedIsNoFindingOfTheRun() {
        CustomerKey x = stack.customerKey();
        CustomerKey y = stack.customerKey();
        stack.keyVault.grantAll(x.vaultUrl(), y.wrappingIdentity());
        Order order = stack.customerManagedOrder(x, x.keyUrl());
        stack.orderService()
                .updateIdentity(
                        order.ref(),
                        new IdentityUpdate(false, true, Set.of(y.identityId()), Set.of()),
                        IfMatch.ABSENT,
                        CALLER);
        stack.keyVault.revoke(x.vaultUrl(), x.wrappingIdentity(), Permission.UnwrapKey);
        encryption.validate(order.ref(), null, IfMatch.ABSENT, ACTOR);
        assertThat(stack.stored(order.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.AccessLost);
        stack.advance(Duration.ofMinutes(1));
        AtomicBoolean fixed = new AtomicBoolean();
        stack.identities.beforeLookup(() -> {
            if (fixed.compareAndSet(false, true)) {
                encryption.changeIdentity(
                        order.ref(), KeyIdentity.userAssigned(y.identityId()), IfMatch.ABSENT, "customer");
            }
        });

        AuditService audit = stack.audit();
        String runId = audit.start("test", InMemoryStack.TENANT).runId();
        for (Optional<AuditShard> shard = stack.shards.take(); shard.isPresent(); shard = stack.shards.take()) {
            audit.runShard(shard.get());
        }
        AuditReport report = audit.report(InMemoryStack.TENANT, runId).orElseThrow();

        assertThat(fixed).isTrue();
        assertThat(stack.stored(order.ref()).keyHealth().status()).isEqualTo(KeyHealth.Status.Healthy);
        assertThat(report.findings()).noneMatch(f -> f.orderName().equals(order.name()));
        assertThat(report.accessLost()).isZero();
        assertThat(report.notAudited()).isEqualTo(1);
    }
}
