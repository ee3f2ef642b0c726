package com.databox.cmk.emulator.http;

/**
 * The JDK's HTTP server writes a response's headers and its body apart. With Nagle's algorithm on,
 * its default, the body waits until the client acknowledges the headers, and a client that delays
 * its acknowledgements (as TCP does) holds it back about 40 ms: curl's calls and the official
 * JavaScript SDK's waited so, where a real vault answers at once. The server turns Nagle off on
 * every connection (TCP_NODELAY) when {@value #NO_DELAY} is true, which it reads once per JVM, as
 * its first server starts.
 */
public final class ServerSockets {
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private ServerSockets() {}

    /** To call before the JVM's first HTTP server is created; a value set already is kept. */
    public static void sendWithoutDelay() {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }
}
