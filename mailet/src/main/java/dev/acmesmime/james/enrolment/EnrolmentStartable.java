package dev.acmesmime.james.enrolment;

import javax.inject.Inject;

import org.apache.james.utils.UserDefinedStartable;

/**
 * Starts the automatic S/MIME enrolment with James ({@link EnrolmentService}). Loaded through
 * {@code conf/extensions.properties}:
 * <pre>guice.extension.startable=dev.acmesmime.james.enrolment.EnrolmentStartable</pre>
 * With {@code enrolment.enabled=false} (the default) it does nothing; with it on, an invalid
 * {@code enrolment.*} setting stops James at start-up with a message naming the key.
 */
public class EnrolmentStartable implements UserDefinedStartable {

    private final EnrolmentService service;

    @Inject
    public EnrolmentStartable(EnrolmentService service) {
        this.service = service;
    }

    @Override
    public void start() {
        service.start();
    }
}
