package io.patchwarden.api.window;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Size;
import io.patchwarden.api.common.ObjectStatus;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceWindowStatus extends ObjectStatus {

  @JsonPropertyDescription(
      "Whether the window is open now. Set only for fixed time zones; with 'Local' it depends on"
          + " each target.")
  private Boolean open;

  // Nullable: server-side apply stores a removed object as null (kubernetes#103011).
  @Nullable
  @JsonPropertyDescription("The occurrence that is open now, if any.")
  private Occurrence currentOccurrence;

  @Size(max = 3)
  @JsonPropertyDescription("The next occurrences after now (up to 3).")
  private List<Occurrence> nextOccurrences;

  public Boolean getOpen() {
    return open;
  }

  public void setOpen(Boolean open) {
    this.open = open;
  }

  public Occurrence getCurrentOccurrence() {
    return currentOccurrence;
  }

  public void setCurrentOccurrence(Occurrence currentOccurrence) {
    this.currentOccurrence = currentOccurrence;
  }

  public List<Occurrence> getNextOccurrences() {
    return nextOccurrences;
  }

  public void setNextOccurrences(List<Occurrence> nextOccurrences) {
    this.nextOccurrences = nextOccurrences;
  }
}
