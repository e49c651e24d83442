package dev.acmesmime.james.webadmin;

import org.apache.james.webadmin.Routes;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;

/**
 * Adds the plugin's WebAdmin routes ({@link AcmeSmimeRoutes}) to James. Register it in
 * {@code conf/extensions.properties}:
 * <pre>
 * guice.extension.module=dev.acmesmime.james.webadmin.AcmeSmimeWebAdminModule
 * </pre>
 */
public class AcmeSmimeWebAdminModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), Routes.class).addBinding().to(AcmeSmimeRoutes.class);
    }
}
