using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Features.Clients;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Me;

public sealed record GetPortalMe(Guid ClientId) : IQuery<PortalMe>;

public sealed record PortalPet(Guid Id, string Name, string Species, string? Breed, string? Notes);

/// <param name="Mobile">
/// The client's verified mobile only (proven by an SMS code, or put on file by the business); null otherwise. A mobile
/// typed at registration is kept, unproven, only when no other client had it, so showing it here would tell the
/// registrant whether the number was on file (PRODUCT.md: only its code tells that). The business still sees it.
/// </param>
/// <param name="MobileVerified">The mobile was proven by an SMS code (or put on file by the business): phone sign-in finds it.</param>
/// <param name="EmailConfirmed">
/// The email was proven its mailbox's (a link sent to it was used); false with none. An unproven one (typed by staff)
/// sets no password by forgot-password while a mobile signs in (decision 301): Your details offers its link first.
/// </param>
public sealed record PortalMe(Guid Id, string FirstName, string LastName, string? Email, string? Mobile, bool MobileVerified, string Status, IReadOnlyList<PortalPet> Pets,
    bool EmailConfirmed);

public sealed class GetPortalMeHandler(PortalAuthDbContext db) : IQueryHandler<GetPortalMe, PortalMe>
{
    public async ValueTask<PortalMe> Handle(GetPortalMe query, CancellationToken cancellationToken)
    {
        var client = await ClientReads.WithPets(db, query.ClientId, cancellationToken)
            ?? throw ProblemException.Unauthenticated();
        return new PortalMe(client.Id, client.FirstName, client.LastName, client.Email, client.MobileVerified ? client.Mobile : null, client.MobileVerified, client.Status,
            client.Pets.OrderBy(p => p.Name).Select(p => new PortalPet(p.Id, p.Name, p.Species, p.Breed, p.Notes)).ToList(),
            client.Email is not null && client.EmailConfirmedAt is not null);
    }
}

/// <summary>
/// Whether the client has a password (phone-only clients have none): the portal offers "change password" only then. Asked
/// only for a session begun before sessions kept the answer (<c>PortalSessions.HasPassword</c>).
/// </summary>
public sealed record ClientHasPassword(Guid ClientId) : IQuery<bool>;

public sealed class ClientHasPasswordHandler(PortalAuthDbContext db) : IQueryHandler<ClientHasPassword, bool>
{
    public async ValueTask<bool> Handle(ClientHasPassword query, CancellationToken cancellationToken) =>
        await db.Clients.AnyAsync(c => c.Id == query.ClientId && c.PasswordHash != null, cancellationToken);
}

public static class GetPortalMeEndpoint
{
    public static void MapGetPortalMe(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/portal/me", async (ISender sender, HttpContext http, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetPortalMe(http.User.SubjectId()), ct)))
            .RequirePortalClient()
            .RequirePortalEnabled()
            .OpenBeforeFirstRequest()
            .WithName("GetPortalMe")
            .WithTags("Portal")
            .Produces<PortalMe>();
}
