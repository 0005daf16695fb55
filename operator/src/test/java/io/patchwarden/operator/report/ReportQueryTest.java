package io.patchwarden.operator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchwarden.api.endpoint.ComplianceState;
import org.junit.jupiter.api.Test;

class ReportQueryTest {
  @Test
  void defaultsToHtmlWithoutFilters() {
    assertThat(ReportQuery.parse(null))
        .isEqualTo(new ReportQuery(ReportQuery.Format.html, null, null, null));
    assertThat(ReportQuery.parse("")).isEqualTo(ReportQuery.parse(null));
  }

  @Test
  void readsEveryParameter() {
    assertThat(ReportQuery.parse("format=CSV&namespace=acme&policy=laptops&state=overdue"))
        .isEqualTo(
            new ReportQuery(ReportQuery.Format.csv, "acme", "laptops", ComplianceState.Overdue));
  }

  @Test
  void badParametersAreNamed() {
    assertThatThrownBy(() -> ReportQuery.parse("format=pdf"))
        .hasMessageContaining("format 'pdf'")
        .hasMessageContaining("csv");
    assertThatThrownBy(() -> ReportQuery.parse("state=Broken"))
        .hasMessageContaining("state 'Broken'")
        .hasMessageContaining("Overdue");
    assertThatThrownBy(() -> ReportQuery.parse("namespace=Not_A_Name"))
        .hasMessageContaining("namespace 'Not_A_Name'");
    assertThatThrownBy(() -> ReportQuery.parse("sort=name")).hasMessageContaining("'sort'");
    assertThatThrownBy(() -> ReportQuery.parse("policy=a&policy=b"))
        .hasMessageContaining("'policy' is given more than once");
  }
}
