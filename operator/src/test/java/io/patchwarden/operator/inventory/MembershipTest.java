package io.patchwarden.operator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MembershipTest {
  @Test
  void describesTheCountsOfTheSelectedKinds() {
    assertThat(new Membership(2, 3).describe()).isEqualTo("Selects 3 endpoints and 2 nodes.");
    assertThat(new Membership(null, 1).describe()).isEqualTo("Selects 1 endpoint.");
    assertThat(new Membership(0, null).describe()).isEqualTo("Selects 0 nodes.");
    assertThat(new Membership(1, 0).describe()).isEqualTo("Selects 0 endpoints and 1 node.");
  }
}
