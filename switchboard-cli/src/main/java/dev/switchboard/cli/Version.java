package dev.switchboard.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (Maven project version), "dev" when run from classes. */
public final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = SwitchboardCli.class.getPackage().getImplementationVersion();
    return new String[] {"switchboard " + (v == null ? "dev" : v)};
  }
}
