package dev.acmesmime.james.enrolment;

/**
 * Makes acme4j see the plugin's {@code email-reply-00} challenge inside James 3.8.1.
 * <p>
 * acme4j 4 reads its challenge providers once, with {@code ServiceLoader.load(ChallengeProvider.class)}
 * in a static initializer: through the calling thread's context class loader. In James that loader is the
 * server's, which cannot see the extension jars ({@code extensions-jars/}, loaded by a child class loader;
 * james-3.8.1-notes §4), so acme4j would know no challenge type at all, its own included, and every order
 * would look as if the CA offered no {@code email-reply-00} challenge. Initializing acme4j's provider class
 * here, with the plugin's class loader as context loader, fills that table from the bundle once for the
 * whole process.
 */
final class Acme4jServiceLoading {

    /** acme4j 4.0.0's holder of the challenge table ({@code CHALLENGES}, filled in its static initializer). */
    static final String PROVIDER_CLASS = "org.shredzone.acme4j.provider.AbstractAcmeProvider";

    private Acme4jServiceLoading() {
    }

    /** Initializes acme4j's challenge table with the plugin's class loader; idempotent. */
    static void prepare() {
        ClassLoader plugin = Acme4jServiceLoading.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(plugin);
        try {
            Class.forName(PROVIDER_CLASS, true, plugin);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("acme4j-client is missing from the plugin bundle (extensions-jars/)", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
