package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.feature.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerOptionsTest {

  private static List<ServerSetting> parse(String... arguments) {
    return ServerOptions.parse(List.of(arguments));
  }

  @Test
  void testcontainersCommandLine() {
    assertThat(parse("postgres", "-c", "fsync=off"))
        .containsExactly(new ServerSetting("-c fsync", "fsync", "off"));
  }

  @Test
  void optionsAloneMeanTheSame() {
    assertThat(parse("-c", "shared_buffers=256MB"))
        .isEqualTo(parse("postgres", "-c", "shared_buffers=256MB"));
    assertThat(ServerOptions.isServerCommandLine("-c")).isTrue();
    assertThat(ServerOptions.isServerCommandLine("postgres")).isTrue();
    assertThat(ServerOptions.isServerCommandLine("psql")).isFalse();
  }

  @Test
  void longOptionsAndAttachedValuesAsPostgresReadsThem() {
    assertThat(parse("--max-connections=42", "-cwork_mem=8MB", "--Log_Line_Prefix=%m [%p] "))
        .containsExactly(
            new ServerSetting("--max_connections", "max_connections", "42"),
            new ServerSetting("-c work_mem", "work_mem", "8MB"),
            new ServerSetting("--log_line_prefix", "log_line_prefix", "%m [%p] "));
  }

  @Test
  void valueIsEverythingAfterTheFirstEquals() {
    assertThat(parse("-c", "search_path=a,b", "-c", "application_name=x=y"))
        .extracting(ServerSetting::value)
        .containsExactly("a,b", "x=y");
  }

  @Test
  void shortOptionsMapToTheParametersTheySet() {
    assertThat(
            parse(
                "-B", "128MB", "-N", "50", "-p5433", "-S", "4MB", "-h", "0.0.0.0", "-W", "3", "-d",
                "2", "-t", "pl"))
        .extracting(ServerSetting::name, ServerSetting::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("shared_buffers", "128MB"),
            org.assertj.core.groups.Tuple.tuple("max_connections", "50"),
            org.assertj.core.groups.Tuple.tuple("port", "5433"),
            org.assertj.core.groups.Tuple.tuple("work_mem", "4MB"),
            org.assertj.core.groups.Tuple.tuple("listen_addresses", "0.0.0.0"),
            org.assertj.core.groups.Tuple.tuple("post_auth_delay", "3"),
            org.assertj.core.groups.Tuple.tuple("log_min_messages", "debug2"),
            org.assertj.core.groups.Tuple.tuple("log_planner_stats", "on"));
    assertThat(parse("-d", "0")).extracting(ServerSetting::value).containsExactly("notice");
  }

  @Test
  void groupedFlagsEndAtAValueOption() {
    assertThat(parse("-iFN", "7"))
        .extracting(ServerSetting::variable, ServerSetting::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("-i (listen_addresses)", "*"),
            org.assertj.core.groups.Tuple.tuple("-F (fsync)", "off"),
            org.assertj.core.groups.Tuple.tuple("-N (max_connections)", "7"));
  }

  @Test
  void directoriesTheLauncherOwnsBecomeSettingsThatValidationRefuses() {
    assertThat(parse("-D", "/data", "-k", "/tmp"))
        .extracting(ServerSetting::name)
        .containsExactly("data_directory", "unix_socket_directories");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--help",
        "--version",
        "-V",
        "--describe-config",
        "--single",
        "-C",
        "-?",
        "-o",
        "-T",
        "-x"
      })
  void optionsThatRunNoServerAreUsageErrors(String option) {
    assertThatThrownBy(() -> parse("postgres", option))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("is not supported");
  }

  @Test
  void incompleteOptionsAreUsageErrors() {
    assertThatThrownBy(() -> parse("-c"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("requires a value");
    assertThatThrownBy(() -> parse("-c", "fsync"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("-c name=value");
    assertThatThrownBy(() -> parse("--fsync"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> parse("-d", "9"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("0 to 5");
    assertThatThrownBy(() -> parse("postgres", "stray"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'stray' is not a server option");
  }

  @Test
  void aNameThatCannotBeAParameterIsAConfigurationErrorNamingTheOption() {
    ConfigurationException failure =
        catchThrowableOfType(
            ConfigurationException.class, () -> parse("-c", "bad name=1", "-c", "include=x"));

    assertThat(failure.problems())
        .extracting(p -> p.variable())
        .containsExactly("-c bad name", "-c include");
  }
}
