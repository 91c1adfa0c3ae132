package dev.switchboard.eval.cli;
public final class SwitchboardCli { public static void main(String[] a) { System.out.println("hi"); } }
