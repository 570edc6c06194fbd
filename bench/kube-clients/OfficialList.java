import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;

/** One list of Deployments with io.kubernetes:client-java. Usage: OfficialList URL TOKEN. */
public final class OfficialList {
  public static void main(String[] args) throws Exception {
    ApiClient client = new ClientBuilder().setBasePath(args[0])
        .setAuthentication(new AccessTokenAuthentication(args[1])).build();
    Report.firstList(new AppsV1Api(client).listNamespacedDeployment("pix").execute().getItems()
        .size());
    System.exit(0);
  }
}
