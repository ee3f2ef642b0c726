package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.api.CanonicalPaths;
import com.databox.cmk.edge.EdgeFilter;
import com.databox.cmk.order.Orders;
import com.databox.cmk.testing.inmemory.InMemoryOrders;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 (start-up): the first request's JSON mapper and table client are built on a thread of the
 * warm-up's own, without holding up the start, and no bean built while the app starts builds the
 * mapper on the main thread by holding it.
 */
class FirstRequestWarmUpTest {
    @Test
    void theStartReturnsAtOnceWhileTheMapperAndTheOrdersAreBuiltOnAnotherThread() throws Exception {
        CountDownLatch mayBuild = new CountDownLatch(1);
        CompletableFuture<Thread> mapperBuiltOn = new CompletableFuture<>();
        CompletableFuture<Thread> ordersBuiltOn = new CompletableFuture<>();
        FirstRequestWarmUp warmUp = new FirstRequestWarmUp();
        warmUp.json = new Built<>(() -> {
            await(mayBuild);
            mapperBuiltOn.complete(Thread.currentThread());
            return new ObjectMapper();
        });
        warmUp.orders = new Built<Orders>(() -> {
            ordersBuiltOn.complete(Thread.currentThread());
            return new InMemoryOrders();
        });

        warmUp.onStart(null);
        assertThat(mapperBuiltOn).isNotDone();
        mayBuild.countDown();

        Thread mapperThread = mapperBuiltOn.get(10, TimeUnit.SECONDS);
        assertThat(mapperThread).isNotSameAs(Thread.currentThread());
        assertThat(ordersBuiltOn.get(10, TimeUnit.SECONDS)).isSameAs(mapperThread);
    }

    @Test
    void aPartThatFailsToBuildIsLeftToTheFirstRequestAndTheOtherIsStillBuilt() throws Exception {
        CompletableFuture<Void> asked = new CompletableFuture<>();
        CompletableFuture<Void> ordersBuilt = new CompletableFuture<>();
        FirstRequestWarmUp warmUp = new FirstRequestWarmUp();
        warmUp.json = new Built<>(() -> {
            asked.complete(null);
            throw new IllegalStateException("no mapper here");
        });
        warmUp.orders = new Built<Orders>(() -> {
            ordersBuilt.complete(null);
            return new InMemoryOrders();
        });

        warmUp.onStart(null);

        asked.get(10, TimeUnit.SECONDS);
        ordersBuilt.get(10, TimeUnit.SECONDS);
    }

    /** A mapper held directly by a bean built at start would be built there, on the main thread. */
    @Test
    void theBeansBuiltWhileTheAppStartsHoldNoMapperThemselves() {
        for (Class<?> builtAtStart : List.of(
                EdgeFilter.class,
                CanonicalPaths.class,
                LocalShardDispatcher.class,
                LocalOutboxSweeper.class,
                StoredOpenApiDocument.class,
                FirstRequestWarmUp.class)) {
            assertThat(Arrays.stream(builtAtStart.getDeclaredFields()).map(Field::getType))
                    .as(builtAtStart.getSimpleName())
                    .doesNotContain(ObjectMapper.class);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An {@link Instance} that builds its one bean when asked, as CDI does. */
    private record Built<T>(java.util.function.Supplier<T> build) implements Instance<T> {
        @Override
        public T get() {
            return build.get();
        }

        @Override
        public Instance<T> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> Instance<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> Instance<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isUnsatisfied() {
            return false;
        }

        @Override
        public boolean isAmbiguous() {
            return false;
        }

        @Override
        public void destroy(T instance) {}

        @Override
        public Handle<T> getHandle() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterable<? extends Handle<T>> handles() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterator<T> iterator() {
            return List.of(get()).iterator();
        }
    }
}
