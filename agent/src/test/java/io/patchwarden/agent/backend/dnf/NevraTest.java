package io.patchwarden.agent.backend.dnf;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class NevraTest {

  @Test
  void parsesFromTheRight() {
    Nevra n = Nevra.parse("python3-unbound-1.16.2-3.el9_3.5.x86_64").orElseThrow();
    assertThat(n).isEqualTo(new Nevra("python3-unbound", 0, "1.16.2", "3.el9_3.5", "x86_64"));
    assertThat(n.evr()).isEqualTo("1.16.2-3.el9_3.5");
    assertThat(n.toString()).isEqualTo("python3-unbound-1.16.2-3.el9_3.5.x86_64");
  }

  @Test
  void keepsANonZeroEpoch() {
    Nevra n = Nevra.parse("openssl-1:3.0.7-28.el9_4.x86_64").orElseThrow();
    assertThat(n.epoch()).isEqualTo(1);
    assertThat(n.evr()).isEqualTo("1:3.0.7-28.el9_4");
    assertThat(n.fullEvr()).isEqualTo("1:3.0.7-28.el9_4");
    assertThat(Nevra.of("openssl.x86_64", "1:3.0.7-28.el9_4")).contains(n);
    assertThat(Nevra.withEpoch("3.0.7-28.el9_4")).isEqualTo("0:3.0.7-28.el9_4");
  }

  @Test
  void rejectsWhatIsNoNevra() {
    assertThat(Nevra.parse("kernel")).isEmpty();
    assertThat(Nevra.parse("kernel.x86_64")).isEmpty();
    assertThat(Nevra.parse("kernel-x:1-2.noarch")).isEmpty(); // the epoch is no number
  }

  @Property
  void roundTrips(
      @ForAll("names") String name, @ForAll("versions") String version, @ForAll boolean epoch) {
    Nevra n = new Nevra(name, epoch ? 2 : 0, version, "1.el9", "noarch");
    assertThat(Nevra.parse(n.toString())).contains(n);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars('-', '_', '+')
        .ofMinLength(1)
        .ofMaxLength(20)
        .filter(s -> Character.isLetter(s.charAt(0)));
  }

  @Provide
  Arbitrary<String> versions() {
    return Arbitraries.strings()
        .withCharRange('0', '9')
        .withChars('.', '~', '^')
        .ofMinLength(1)
        .ofMaxLength(12);
  }
}
