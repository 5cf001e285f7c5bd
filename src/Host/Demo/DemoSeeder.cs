using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Features.SignUpBusiness;
using Mediator;

namespace Booking.Host.Demo;

/// <summary>Development only: a demo business to click through, created through the same commands as real sign-ups.</summary>
public sealed class DemoSeeder(ISender sender, ITenantDirectory directory, IServiceScopeFactory scopes, ILogger<DemoSeeder> logger)
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

        var business = await sender.Send(new SignUpBusiness(Slug, BusinessName, TimeZone, "AU", "AUD",
            new OwnerDetails("Olivia Owner", OwnerEmail, OwnerPassword)) { OwnerEmailProven = true }, cancellationToken);
        directory.Invalidate(new TenantInfo(business.TenantId, Slug, BusinessName, TimeZone, "AU", "AUD", true));

        // Each module's part, as the demo business, through the module's own commands.
        await using var scope = await TenantScope.OpenAsync(scopes, business.TenantId, cancellationToken);
        foreach (var seed in scope.ServiceProvider.GetServices<IDemoSeed>().OrderBy(s => s.Order))
        {
            await seed.SeedAsync(cancellationToken);
        }

        logger.LogInformation("Seeded the demo business {Slug}", Slug);
    }

    public static void PrintWelcome(ICollection<string> urls, IEnumerable<string> extraLines)
    {
        var origin = (urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) ?? urls.FirstOrDefault() ?? "http://localhost:5000")
            .Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal).TrimEnd('/');
        Console.WriteLine($"""

            Booking is running.
              Client portal:   {origin}/ol/book?name={Slug}
              Staff sign-in:   {origin}/staff/sign-in?name={Slug}   ({OwnerEmail} / "{OwnerPassword}")
              API reference:   {origin}/scalar
              Jobs dashboard:  {origin}/hangfire
            {string.Concat(extraLines.Select(line => "  " + line.Replace("{origin}", origin, StringComparison.Ordinal) + Environment.NewLine))}
            """);
    }
}
