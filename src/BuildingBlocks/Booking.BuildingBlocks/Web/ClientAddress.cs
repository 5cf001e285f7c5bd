using Microsoft.AspNetCore.Http;

namespace Booking.BuildingBlocks.Web;

public static class ClientAddress
{
    /// <summary>
    /// The address sign-in limits count against (codes and reset requests per IP): the connection's, which the
    /// forwarded-headers middleware has already set from a trusted proxy (decision 62); "unknown" where there is none.
    /// </summary>
    public static string ClientIp(this HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
