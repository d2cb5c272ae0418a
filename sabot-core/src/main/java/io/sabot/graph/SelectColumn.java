package io.sabot.graph;

/**
 * One output column of a SELECT: the input column it is ({@code from}) and its name ({@code to};
 * the same unless renamed with {@code {from: to}}).
 */
public record SelectColumn(String from, String to) {}
