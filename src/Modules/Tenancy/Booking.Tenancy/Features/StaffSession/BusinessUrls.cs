using Microsoft.AspNetCore.Http;

namespace Booking.Tenancy.Features.StaffSession;

/// <summary>The addresses a business hands out, built from the host the request came to.</summary>
public sealed record BusinessUrls(string Portal, string StaffSignIn, string PublicProfile)
{
    public static BusinessUrls For(HttpRequest request, string slug)
    {
        var origin = $"{request.Scheme}://{request.Host}";
        var name = Uri.EscapeDataString(slug);
        return new BusinessUrls(
            $"{origin}/ol/book?name={name}",
            $"{origin}/staff/sign-in?name={name}",
            $"{origin}/api/v1/portal/business?name={name}");
    }
}
