package com.databox.cmk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local port that takes connections and never answers: a dependency that stopped answering. */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private SilentServer(ServerSocket socket) {
        this.socket = socket;
        Thread.ofPlatform().daemon().start(this::accept);
    }

    public static SilentServer start() {
        try {
            return new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                accepted.add(socket.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int connections() {
        return accepted.size();
    }

    public void awaitConnections(int count) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (accepted.size() < count && Instant.now().isBefore(until)) {
            Thread.sleep(10);
        }
        assertThat(accepted).as("connections to the vault").hasSizeGreaterThanOrEqualTo(count);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
