package io.orchestrationplane.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Version;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM pins the fabric8 client and kubernetes-server-mock at the version the modules are
 * built and tested with: the parent's {@code fabric8.version}, and the client and mock server on
 * this module's test class path.
 */
class BomVersionsTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void bomImportsTheFabric8BomAtTheVersionTheModulesAreTestedWith() throws Exception {
    Document bom = read(ROOT.resolve("orchestration-bom/pom.xml"));
    String bomVersion = property(bom, "fabric8.version");
    String parentVersion = property(read(ROOT.resolve("pom.xml")), "fabric8.version");

    assertThat(bomVersion).isEqualTo(parentVersion);
    assertThat(bomVersion).isEqualTo(Version.clientVersion());
    assertThat(mockServerVersion()).isEqualTo(bomVersion);

    Element imported = managed(bom, "io.fabric8", "kubernetes-client-bom");
    assertThat(text(imported, "version")).isEqualTo("${fabric8.version}");
    assertThat(text(imported, "scope")).isEqualTo("import");
    assertThat(text(imported, "type")).isEqualTo("pom");
  }

  @Test
  void bomPinsEveryModuleAtTheProjectVersion() throws Exception {
    Document bom = read(ROOT.resolve("orchestration-bom/pom.xml"));
    String version = text(bom.getDocumentElement(), "version");
    for (String module : new String[] {"orchestration-policy", "orchestration-core", "orchestration-k8s",
        "orchestration-testkit"}) {
      assertThat(text(managed(bom, "io.orchestrationplane", module), "version")).as(module).isEqualTo(version);
    }
  }

  private static String mockServerVersion() throws Exception {
    try (InputStream in = io.fabric8.kubernetes.client.server.mock.KubernetesMockServer.class.getResourceAsStream(
        "/META-INF/maven/io.fabric8/kubernetes-server-mock/pom.properties")) {
      assertThat(in).as("kubernetes-server-mock's pom.properties").isNotNull();
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }

  private static Document read(Path pom) throws Exception {
    assertThat(pom).exists();
    try (InputStream in = Files.newInputStream(pom)) {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
    }
  }

  private static String property(Document pom, String name) {
    NodeList props = pom.getDocumentElement().getElementsByTagName("properties");
    assertThat(props.getLength()).as("<properties> in the pom").isPositive();
    return text((Element) props.item(0), name);
  }

  private static Element managed(Document pom, String groupId, String artifactId) {
    Element management = (Element) pom.getDocumentElement().getElementsByTagName("dependencyManagement").item(0);
    NodeList deps = management.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      if (groupId.equals(text(d, "groupId")) && artifactId.equals(text(d, "artifactId"))) {
        return d;
      }
    }
    throw new AssertionError("the BOM does not manage " + groupId + ":" + artifactId);
  }

  /** The text of a direct child element. */
  private static String text(Element parent, String child) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(child)) {
        return e.getTextContent().trim();
      }
    }
    throw new AssertionError("<" + parent.getTagName() + "> has no <" + child + ">");
  }
}
