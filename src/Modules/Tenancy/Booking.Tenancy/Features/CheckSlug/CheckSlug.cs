using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Data;
using Booking.Tenancy.Features.SignUpBusiness;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.CheckSlug;

public sealed record CheckSlug(string? Slug) : IQuery<SlugAvailability>;

public sealed record SlugAvailability(string Slug, bool Available, string? Reason);

/// <summary>For the sign-up form's live check; the database's unique index remains the real guard.</summary>
public sealed class CheckSlugHandler(TenancyDbContext db) : IQueryHandler<CheckSlug, SlugAvailability>
{
    public async ValueTask<SlugAvailability> Handle(CheckSlug query, CancellationToken cancellationToken)
    {
        var raw = query.Slug ?? "";
        var problem = SlugRules.Problem(raw);
        if (problem is not null)
        {
            return new SlugAvailability(raw, false, problem);
        }

        var slug = Slug.Normalise(raw)!;
        var taken = await db.Tenants.AnyAsync(t => t.Slug == slug, cancellationToken);
        return new SlugAvailability(slug, !taken, taken ? SignUpSlugFreeValidator.Taken : null);
    }
}

public static class CheckSlugEndpoint
{
    public static void MapCheckSlug(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/tenants/slug-check", async (string? slug, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new CheckSlug(slug), ct)))
            .WithName("CheckSlug")
            .WithTags("Platform")
            .Produces<SlugAvailability>();
}
