package com.databox.cmk.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The order tests against the packaged app (the native executable in the native workflow). */
@QuarkusIntegrationTest
class OrdersApiIT extends OrdersApiTest {}
