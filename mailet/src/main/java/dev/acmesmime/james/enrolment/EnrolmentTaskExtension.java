package dev.acmesmime.james.enrolment;

import java.util.Set;

import org.apache.james.server.task.json.TaskExtensionModule;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;
import org.apache.james.server.task.json.dto.TaskDTO;
import org.apache.james.server.task.json.dto.TaskDTOModule;
import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails.AdditionalInformation;

import org.apache.james.json.DTOModule;

/**
 * Makes James show the progress of the enrolment tasks: without a DTO module for
 * {@link EnrolmentTaskDetails}, James 3.8.1's {@code GET /tasks/{id}} silently leaves
 * {@code additionalInformation} out. Loaded through {@code conf/extensions.properties}:
 * <pre>guice.extension.task=dev.acmesmime.james.enrolment.EnrolmentTaskExtension</pre>
 * No task DTO module: the memory task manager never serializes a task.
 */
public class EnrolmentTaskExtension implements TaskExtensionModule {

    /** The {@code type} of the details' JSON. */
    public static final String DETAILS_TYPE = "acme-smime-enrolment";

    /** The module James's {@code DTOConverter} uses for {@link EnrolmentTaskDetails}. */
    public static final AdditionalInformationDTOModule<EnrolmentTaskDetails, EnrolmentTaskDetailsDto> DETAILS =
            DTOModule.forDomainObject(EnrolmentTaskDetails.class)
                    .convertToDTO(EnrolmentTaskDetailsDto.class)
                    .toDomainObjectConverter(d -> new EnrolmentTaskDetails(d.action(), d.done(), d.failed(),
                            d.pending(), d.timestamp()))
                    .toDTOConverter((d, type) -> new EnrolmentTaskDetailsDto(type, d.action(), d.done(), d.failed(),
                            d.pending(), d.timestamp()))
                    .typeName(DETAILS_TYPE)
                    .withFactory(AdditionalInformationDTOModule::new);

    @Override
    public Set<TaskDTOModule<? extends Task, ? extends TaskDTO>> taskDTOModules() {
        return Set.of();
    }

    @Override
    public Set<AdditionalInformationDTOModule<? extends AdditionalInformation, ? extends AdditionalInformationDTO>>
            taskAdditionalInformationDTOModules() {
        return Set.of(DETAILS);
    }
}
