package dev.pgcontainer.launchercli;

import java.util.ArrayList;
import java.util.List;

/**
 * Test hosts on a network of their own (Linux network namespaces, one {@code pgcp-NAME} per host),
 * so a host can lose its network while its processes keep running: the cluster network {@value
 * #SUBNET_CLUSTER}.0/24, which the faults cut, and the management network {@value
 * #SUBNET_MANAGEMENT}.0/24 (clients, REST API, probes), which stays up, so clients still reach an
 * isolated leader. Only {@value #HOST_LINK} touches the machine's own namespace. Names start with
 * {@value #PREFIX}; an aborted run's leftovers are removed first, so one run at a time per machine.
 */
final class TestNetwork implements AutoCloseable {

  static final String PREFIX = "pgcp-";
  static final String SUBNET_CLUSTER = "10.213.78";
  static final String SUBNET_MANAGEMENT = "10.213.77";
  private static final String SWITCH = PREFIX + "switch";
  private static final String HOST_LINK = PREFIX + "host";

  /** One test host: a namespace with an address on each network. */
  record TestHost(String name, int number) {
    String namespace() {
      return PREFIX + name;
    }

    /** Where other members, etcd and replication reach it. */
    String clusterAddress() {
      return SUBNET_CLUSTER + "." + number;
    }

    /** Where the test reaches it. */
    String managementAddress() {
      return SUBNET_MANAGEMENT + "." + number;
    }

    /**
     * Runs a command inside this host's namespace: {@code ip netns exec} execs it, so the pid stays
     * the command's.
     */
    List<String> inside(List<String> command) {
      List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace()));
      wrapped.addAll(command);
      return wrapped;
    }

    private String clusterPort() {
      return name + "-c";
    }
  }

  private final List<TestHost> hosts = new ArrayList<>();

  private TestNetwork() {}

  /**
   * Removes leftovers of earlier runs and makes the switch with its two bridges and the test's own
   * link.
   */
  static TestNetwork create() {
    removeLeftovers();
    TestNetwork network = new TestNetwork();
    try {
      ip("netns", "add", SWITCH);
      inSwitch("ip", "link", "set", "lo", "up");
      for (String bridge : List.of("brc", "brm")) {
        inSwitch("ip", "link", "add", bridge, "type", "bridge");
        inSwitch("ip", "link", "set", bridge, "up");
      }
      ip("link", "add", HOST_LINK, "type", "veth", "peer", "name", "host-m", "netns", SWITCH);
      inSwitch("ip", "link", "set", "host-m", "master", "brm", "up");
      ip("addr", "add", SUBNET_MANAGEMENT + ".1/24", "dev", HOST_LINK);
      ip("link", "set", HOST_LINK, "up");
      return network;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** A new host {@code name} (a few letters) with address {@code number} on both networks. */
  TestHost addHost(String name, int number) {
    TestHost host = new TestHost(name, number);
    hosts.add(host);
    ip("netns", "add", host.namespace());
    inside(host, "ip", "link", "set", "lo", "up");
    link(host, "c", "brc", host.clusterAddress());
    link(host, "m", "brm", host.managementAddress());
    return host;
  }

  /**
   * A veth from the host (as {@code eth-KIND}) into {@code bridge} of the switch (as {@code
   * NAME-KIND}).
   */
  private static void link(TestHost host, String kind, String bridge, String address) {
    String outer = host.name() + "-" + kind;
    String inner = "eth-" + kind;
    inSwitch(
        "ip",
        "link",
        "add",
        outer,
        "type",
        "veth",
        "peer",
        "name",
        inner,
        "netns",
        host.namespace());
    inSwitch("ip", "link", "set", outer, "master", bridge, "up");
    inside(host, "ip", "addr", "add", address + "/24", "dev", inner);
    inside(host, "ip", "link", "set", inner, "up");
  }

  /**
   * Cuts {@code host} off the cluster network: its switch port goes down, as when a cable is
   * pulled.
   */
  void cut(TestHost host) {
    inSwitch("ip", "link", "set", host.clusterPort(), "down");
  }

  /** Undoes {@link #cut}. */
  void heal(TestHost host) {
    inSwitch("ip", "link", "set", host.clusterPort(), "up");
  }

  /**
   * Drops {@code percent} of the packets {@code host} sends and receives on the cluster network, at
   * random (nftables in its namespace). Delay needs the kernel's netem, which this machine's kernel
   * lacks.
   */
  void lose(TestHost host, int percent) {
    inside(host, "nft", "add", "table", "inet", "pgcp_loss");
    for (String hook : List.of("input", "output")) {
      String direction = hook.equals("input") ? "iifname" : "oifname";
      inside(
          host,
          "nft",
          "add",
          "chain",
          "inet",
          "pgcp_loss",
          hook,
          "{ type filter hook " + hook + " priority 0 ; policy accept ; }");
      inside(
          host,
          "nft",
          "add",
          "rule",
          "inet",
          "pgcp_loss",
          hook,
          direction,
          "eth-c",
          "numgen",
          "random",
          "mod",
          "100",
          "<",
          String.valueOf(percent),
          "drop");
    }
  }

  /** Undoes {@link #lose}. */
  void stopLosing(TestHost host) {
    inside(host, "nft", "delete", "table", "inet", "pgcp_loss");
  }

  @Override
  public void close() {
    removeLeftovers();
  }

  /**
   * Every namespace and the host link with our prefix; deleting a namespace removes its veths and
   * bridges.
   */
  private static void removeLeftovers() {
    String namespaces = LauncherSandbox.run(List.of("ip", "netns", "list"));
    namespaces
        .lines()
        .map(line -> line.split(" ")[0])
        .filter(name -> name.startsWith(PREFIX))
        .forEach(name -> LauncherSandbox.run(List.of("ip", "netns", "delete", name)));
    if (!LauncherSandbox.run(List.of("ip", "-o", "link", "show")).contains(HOST_LINK + "@")) {
      return;
    }
    LauncherSandbox.run(List.of("ip", "link", "delete", HOST_LINK));
  }

  private static void ip(String... arguments) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(arguments));
    LauncherSandbox.run(command);
  }

  private static void inSwitch(String... command) {
    LauncherSandbox.run(new TestHost("switch", 0).inside(List.of(command)));
  }

  private static void inside(TestHost host, String... command) {
    LauncherSandbox.run(host.inside(List.of(command)));
  }
}
