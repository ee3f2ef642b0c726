package com.databox.cmk.keyvault;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The name server asked once more about a vault's name that Vert.x's resolver gave up on without
 * saying why. Netty's resolver names NXDOMAIN and SERVFAIL as the cause of its failure, but gives a
 * name server that refused the query (REFUSED, NOTIMP, FORMERR) exactly as a name with no address
 * (NOERROR, no records): neither has a cause. The first is the name server's failure, an outage;
 * the second is the name's. Only the name server's own answer tells them apart.
 */
@FunctionalInterface
interface NameServers {
    /**
     * Whether the name server fails for {@code host}: it answers its address query with an error
     * other than NXDOMAIN, or not at all. An answer, with or without addresses, or NXDOMAIN is the
     * name's own.
     */
    boolean failFor(String host);

    /** These name servers, each host asked at most once: for the failures of one call's requests, no longer. */
    default NameServers askingEachHostOnce() {
        Map<String, Boolean> answers = new ConcurrentHashMap<>();
        return host -> answers.computeIfAbsent(host, this::failFor);
    }
}
