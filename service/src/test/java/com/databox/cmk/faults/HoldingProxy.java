package com.databox.cmk.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of a storage endpoint that can stop a table transaction (an
 * entity-group {@code $batch} request) at a chosen point: {@link Mode#HOLD_REQUEST} never forwards it
 * (the write never reaches the table), {@link Mode#HOLD_RESPONSE} forwards it and holds the answer
 * (the write is stored, the caller never learns it). {@link #awaitHeld} is released when that point
 * is reached. Everything else passes unchanged, unless the mode says otherwise.
 */
final class HoldingProxy implements AutoCloseable {

    enum Mode {
        HOLD_REQUEST,
        HOLD_RESPONSE,
        /** Storage frozen: no request of any connection is ever forwarded (connections stay open). */
        FREEZE,
        /** Every {@code $batch} forwarded and its answer lost (the connection closed); the rest passes. */
        LOSE_BATCH_ANSWERS,
        /**
         * The first {@code $batch} forwarded, then storage frozen: nothing answered from then on, and
         * no other request forwarded (connections stay open).
         */
        FREEZE_AFTER_BATCH
    }

    private static final byte[] MARKER = "$batch".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int targetPort;
    private final Mode mode;
    private final CountDownLatch held = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean frozen;

    HoldingProxy(int targetPort, Mode mode) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.mode = mode;
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                sockets.add(client);
                sockets.add(upstream);
                // One flag per connection: set once its $batch request has been seen going upstream.
                boolean[] batchSent = new boolean[1];
                Thread.ofVirtual().start(() -> pumpRequests(client, upstream, batchSent));
                Thread.ofVirtual().start(() -> pumpResponses(upstream, client, batchSent));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pumpRequests(Socket client, Socket upstream, boolean[] batchSent) {
        byte[] tail = new byte[0];
        try (InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream()) {
            byte[] buffer = new byte[16384];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (mode == Mode.FREEZE) {
                    held.countDown();
                    continue; // read and dropped: the caller waits for an answer that never comes
                }
                boolean batchConnection;
                synchronized (batchSent) {
                    batchConnection = batchSent[0];
                }
                if (frozen && !batchConnection) {
                    continue; // dropped, as above
                }
                byte[] window = concat(tail, buffer, n);
                if (indexOf(window, MARKER) >= 0 && (held.getCount() > 0 || mode == Mode.LOSE_BATCH_ANSWERS)) {
                    if (mode == Mode.HOLD_REQUEST) {
                        held.countDown();
                        return; // never forwarded; the connection stays open until the test closes the proxy
                    }
                    synchronized (batchSent) {
                        batchSent[0] = true;
                    }
                    if (mode == Mode.FREEZE_AFTER_BATCH) {
                        held.countDown();
                        frozen = true; // this connection's batch goes on upstream; nothing comes back
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
                tail = window.length > MARKER.length
                        ? java.util.Arrays.copyOfRange(window, window.length - MARKER.length, window.length)
                        : window;
            }
        } catch (IOException closed) {
            // the other side went away
        }
    }

    private void pumpResponses(Socket upstream, Socket client, boolean[] batchSent) {
        try (InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[16384];
            for (int n; (n = in.read(buffer)) > 0; ) {
                boolean answerToBatch;
                synchronized (batchSent) {
                    answerToBatch = batchSent[0];
                }
                if (frozen) {
                    continue; // read and dropped
                }
                if (answerToBatch && (mode == Mode.HOLD_RESPONSE || mode == Mode.LOSE_BATCH_ANSWERS)) {
                    held.countDown();
                    return; // the table has answered the write; the caller never hears it
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // the other side went away
        }
    }

    private static byte[] concat(byte[] head, byte[] buffer, int n) {
        byte[] all = new byte[head.length + n];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(buffer, 0, all, head.length, n);
        return all;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        acceptor.interrupt();
    }
}
