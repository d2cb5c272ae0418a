package io.sabot.reference;

import java.util.ServiceLoader;

/** The {@link ReferenceStoreProvider}s on the class path. */
public final class ReferenceStores {
  private ReferenceStores() {}

  /** The provider of {@code backend}, or null when no module on the class path serves it. */
  public static ReferenceStoreProvider find(String backend) {
    for (ReferenceStoreProvider p : ServiceLoader.load(ReferenceStoreProvider.class,
        ReferenceStores.class.getClassLoader())) {
      if (p.backend().equals(backend)) return p;
    }
    return null;
  }
}
