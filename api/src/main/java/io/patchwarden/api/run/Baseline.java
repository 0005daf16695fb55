package io.patchwarden.api.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The approved update set of a run: updates approved at {@code cutoff}. Only a bounded sample of
 * distinct updates is listed; the full set is derivable from the cutoff and the policy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Baseline {
  /** Distinct updates listed at most, to keep the object far below etcd's size limit. */
  public static final int MAX_LISTED_UPDATES = 200;

  @Required
  @JsonPropertyDescription("Approval was evaluated at this time (RFC 3339); later updates wait.")
  private String cutoff;

  @JsonPropertyDescription("Number of distinct approved updates in the baseline.")
  private Integer updateCount;

  @Size(max = MAX_LISTED_UPDATES)
  @JsonPropertyDescription("Distinct approved updates (at most 200; see truncated).")
  private List<BaselineUpdate> updates;

  @JsonPropertyDescription("true when updates lists only part of the baseline.")
  private Boolean truncated;

  public String getCutoff() {
    return cutoff;
  }

  public void setCutoff(String cutoff) {
    this.cutoff = cutoff;
  }

  public Integer getUpdateCount() {
    return updateCount;
  }

  public void setUpdateCount(Integer updateCount) {
    this.updateCount = updateCount;
  }

  public List<BaselineUpdate> getUpdates() {
    return updates;
  }

  public void setUpdates(List<BaselineUpdate> updates) {
    this.updates = updates;
  }

  public Boolean getTruncated() {
    return truncated;
  }

  public void setTruncated(Boolean truncated) {
    this.truncated = truncated;
  }
}
