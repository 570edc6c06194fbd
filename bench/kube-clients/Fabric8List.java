import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** One list of Deployments with fabric8's kubernetes-client. Usage: Fabric8List URL TOKEN. */
public final class Fabric8List {
  public static void main(String[] args) throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl(args[0]).withOauthToken(args[1]).withNamespace("pix").build()).build()) {
      Report.firstList(client.apps().deployments().inNamespace("pix").list().getItems().size());
    }
    System.exit(0);
  }
}
