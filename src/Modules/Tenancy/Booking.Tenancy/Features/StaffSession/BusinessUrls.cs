using Booking.BuildingBlocks.Web;

namespace Booking.Tenancy.Features.StaffSession;

/// <summary>The addresses a business hands out, on the configured public origin (never the request's Host header).</summary>
public sealed record BusinessUrls(string Portal, string StaffSignIn, string PublicProfile)
{
    public static BusinessUrls For(PublicOrigin origin, string slug)
    {
        var name = Uri.EscapeDataString(slug);
        return new BusinessUrls(
            PortalAddresses.Book(origin.Value, slug),
            $"{origin.Value}/staff/sign-in?name={name}",
            $"{origin.Value}/api/v1/portal/business?name={name}");
    }
}
