using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Features.SignUpBusiness;
using Mediator;

namespace Booking.Host.Demo;

/// <summary>Development only: a demo business to click through, created through the same commands as real sign-ups.</summary>
public sealed class DemoSeeder(ISender sender, ITenantDirectory directory, ILogger<DemoSeeder> logger)
{
    public const string Slug = "demo";
    public const string BusinessName = "Demo Wellness Clinic";
    public const string TimeZone = "Australia/Sydney";
    public const string OwnerEmail = "owner@demo.example";
    public const string OwnerPassword = "demo owner walks the harbour bridge";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await directory.FindBySlugAsync(Slug, cancellationToken) is not null)
        {
            return;
        }

        await sender.Send(new SignUpBusiness(Slug, BusinessName, TimeZone, "AU", "AUD",
            new OwnerDetails("Olivia Owner", OwnerEmail, OwnerPassword)), cancellationToken);
        directory.Invalidate(new TenantInfo(Guid.Empty, Slug, BusinessName, TimeZone, "AU", "AUD", true));
        logger.LogInformation("Seeded the demo business {Slug}", Slug);
    }

    public static void PrintWelcome(ICollection<string> urls)
    {
        var origin = (urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) ?? urls.FirstOrDefault() ?? "http://localhost:5000")
            .Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal).TrimEnd('/');
        Console.WriteLine($"""

            Booking is running.
              Client portal:   {origin}/ol/book?name={Slug}
              Staff sign-in:   {origin}/staff/sign-in?name={Slug}   ({OwnerEmail} / "{OwnerPassword}")
              API reference:   {origin}/scalar
              Jobs dashboard:  {origin}/hangfire

            """);
    }
}
