using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.NewClient;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Clients;

public sealed record AdminPet(Guid Id, string Name, string Species, string? Breed, string? Notes);

/// <summary>A pet the client removed: kept for the appointments that name it; staff may restore it. RemovedAt carries the business's offset.</summary>
public sealed record AdminRemovedPet(Guid Id, string Name, string Species, string? Breed, string? Notes, DateTimeOffset RemovedAt);

/// <summary>
/// A client as staff see it. CreatedAt carries the business's offset. Pets are the pets on file. MobileVerified: the
/// mobile was proven with an SMS code or put on file by the business, so phone sign-in finds the client by it; false for
/// a number only typed at registration (an unproven claim) and for none. EmailConfirmed: the client proved the email
/// (used a reset link sent to it, or their own confirm-email link); false for an address only typed (at registration,
/// in the new-client flow, or by staff) and for none: not proof of who the client is (decision 262).
/// </summary>
public sealed record AdminClient(
    Guid Id, string FirstName, string LastName, string Name, string? Email, bool EmailConfirmed, string? Mobile, bool MobileVerified, string Status, DateTimeOffset CreatedAt,
    IReadOnlyList<AdminPet> Pets)
{
    /// <summary>
    /// The client's removed pets, most recently removed first, at most <see cref="AdminClients.RemovedPetsShown"/>.
    /// Only in the answers about one client (get, approve); the list leaves the member out, so a page of clients reads
    /// no removed pets.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AdminRemovedPet>? RemovedPets { get; init; }

    /// <summary>Another number to call the client on, E.164 of any type (a landline), or null; never for sign-in or texts (decision 292).</summary>
    public string? OtherPhone { get; init; }

    /// <summary>
    /// Whether the client has a password (for the email on file). A staff change or removal of the email takes it away
    /// and ends the client's sessions (decision 300), so the answer to that change says false.
    /// </summary>
    public bool HasPassword { get; init; }

    /// <summary>
    /// The client's holder proved the mobile with an SMS code (signed up by phone, or confirmed it under Your details);
    /// false for a number staff typed (though <see cref="MobileVerified"/>: the business vouches for it, decision 134),
    /// one only typed at registration, and none. Decisions 313 (1) and 321.
    /// </summary>
    public bool MobileProven { get; init; }

    /// <summary>
    /// The appointment texts (bookings, changes, cancellations, request answers) go to the mobile now: the client has no
    /// email, or has one nobody confirmed and no password beside a mobile its holder proved (<see cref="Sms.TextChannel"/>,
    /// decision 311). False with no mobile. Decision 321.
    /// </summary>
    public bool TextsToMobile { get; init; }

    /// <summary>True when the client removed more pets than <see cref="RemovedPets"/> lists (older ones left out).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? MoreRemovedPets { get; init; }
}

/// <summary>One page of clients, by last name then first name; NextCursor is null on the last page.</summary>
public sealed record AdminClientPage(IReadOnlyList<AdminClient> Items, string? NextCursor);

/// <summary>
/// Search matches name, email, mobile or other phone, whatever the case and accents ("zoe" finds Zoë, "Zoë" finds Zoe). Limit 1–200
/// (default 50).
/// </summary>
public sealed record ListAdminClients(string? Search, int? Limit, string? Cursor) : IQuery<AdminClientPage>;

public sealed record GetAdminClient(Guid Id) : IQuery<AdminClient>;

/// <summary>
/// Staff put a pet the client removed back on file (<c>POST /api/v1/admin/clients/{id}/pets/{petId}/restore</c>): listed,
/// bookable and counted again. Repeat-safe: a pet already on file answers as it is. Past the limit: validation.
/// </summary>
public sealed record RestoreClientPet(Guid ClientId, Guid PetId) : ICommand<AdminPet>;

/// <summary>
/// A pending-approval client becomes active (their later portal bookings are confirmed, not requested) and is told so
/// (<see cref="Contracts.ClientApproved"/>). Repeat-safe: an active client answers as they are, nothing is sent.
/// </summary>
public sealed record ApproveClient(Guid Id) : ICommand<AdminClient>;

public sealed class ListAdminClientsValidator : AbstractValidator<ListAdminClients>
{
    public ListAdminClientsValidator()
    {
        RuleFor(x => x.Search).MaximumLength(200).WithMessage("Use at most 200 characters.").WellFormed();
        RuleFor(x => x.Limit).InclusiveBetween(1, ClientCursor.MaxLimit).WithMessage($"Use 1 to {ClientCursor.MaxLimit}.");
        RuleFor(x => x.Cursor).Must(c => string.IsNullOrEmpty(c) || ClientCursor.Decode(c) is not null)
            .WithMessage("Use the nextCursor of the previous page.");
    }
}

/// <summary>Keyset paging over (last name, first name, id): stable while clients are added, and cheap on deep pages.</summary>
internal sealed record ClientCursor(string L, string F, Guid I)
{
    public const int MaxLimit = 200;

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static ClientCursor? Decode(string text)
    {
        try
        {
            return text.Length > 1000 ? null : JsonSerializer.Deserialize<ClientCursor>(Base64Url.DecodeFromChars(text));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>Removed pets one client answer lists, and whether the client removed more than that.</summary>
internal sealed record RemovedPets(IReadOnlyList<Pet> Pets, bool More);

internal static class AdminClients
{
    /// <summary>Pet's "not found": a missing, malformed, another client's or another business's id, and a missing client, alike.</summary>
    public const string PetNotFound = "Pet not found.";

    /// <summary>
    /// Removed pets one client answer lists. Removing is never refused (it is the client's record), so a client who
    /// adds and removes pets over and over would otherwise make the staff client page read every one of them.
    /// </summary>
    public const int RemovedPetsShown = 50;

    /// <summary>
    /// The client as staff see it, with the pets on file (<c>c.Pets</c>, read under the <see cref="Pet.OnFile"/>
    /// filter). <paramref name="removed"/>: the answer is about this one client and lists these removed pets
    /// (<see cref="RemovedPetsAsync"/>); null leaves the member out.
    /// </summary>
    public static AdminClient View(Client c, ITenantContext tenant, RemovedPets? removed = null)
    {
        // The business's offset by NodaTime's tzdb, as every answer gives it (house rule 8), not the OS's zone files: they
        // may lack an id tzdb knows, or hold older rules for it.
        return new AdminClient(c.Id, c.FirstName, c.LastName, $"{c.FirstName} {c.LastName}".Trim(), c.Email, c.Email is not null && c.EmailConfirmedAt is not null, c.Mobile,
            c.Mobile is not null && c.MobileVerified, c.Status,
            tenant.Local(c.CreatedAt),
            c.Pets.Where(p => p.RemovedAt is null).OrderBy(p => p.Name).Select(OnFile).ToList())
        {
            RemovedPets = removed?.Pets
                .Select(p => new AdminRemovedPet(p.Id, p.Name, p.Species, p.Breed, p.Notes, tenant.Local(p.RemovedAt!.Value))).ToList(),
            MoreRemovedPets = removed?.More,
            OtherPhone = c.OtherPhone,
            HasPassword = c.PasswordHash is not null,
            MobileProven = Sms.TextChannel.Of(c).MobileProven,
            TextsToMobile = Sms.TextChannel.Of(c).TextTo is not null,
        };
    }

    /// <summary>The client's most recently removed pets, at most <see cref="RemovedPetsShown"/>, and whether there are more.</summary>
    public static async Task<RemovedPets> RemovedPetsAsync(PortalAuthDbContext db, Guid clientId, CancellationToken cancellationToken)
    {
        var pets = await db.Pets.IgnoreQueryFilters([Pet.OnFile]).AsNoTracking()
            .Where(p => p.ClientId == clientId && p.RemovedAt != null)
            .OrderByDescending(p => p.RemovedAt).ThenBy(p => p.Name).ThenBy(p => p.Id)
            .Take(RemovedPetsShown + 1)
            .ToListAsync(cancellationToken);
        return new RemovedPets(pets.Take(RemovedPetsShown).ToList(), pets.Count > RemovedPetsShown);
    }

    public static AdminPet OnFile(Pet p) => new(p.Id, p.Name, p.Species, p.Breed, p.Notes);

    /// <summary>
    /// A search text as the search column holds names and emails: without accents, in lower case, without spacing and
    /// punctuation, by the database (<see cref="PortalAuthDbContext.FoldSql"/>, the column's own rule), whose unaccent
    /// rules the column was worked out with. Asked once per
    /// search: in the list's query the fold would be worked out again for every row read once the statement's plan is
    /// generic (prepared statements), since the wrapper is a SQL function PostgreSQL cannot fold in beforehand.
    /// </summary>
    /// A text that is not text (U+FFFE, half a surrogate pair) cannot be normalised: the validator refuses it on
    /// <c>search</c> (<see cref="WellFormedText"/>), and so does this, should another caller skip it.
    public static async Task<string> FoldAsync(PortalAuthDbContext db, string text, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<string>(
                "SELECT " + PortalAuthDbContext.FoldSql + " AS \"Value\"",
                WellFormedText.TryNormalize(text, NormalizationForm.FormC, out var normalized) ? normalized : throw ProblemException.Invalid("search", WellFormedText.Message))
            .SingleAsync(cancellationToken);

    /// <summary>LIKE pattern of a literal text: its wildcards escaped.</summary>
    public static string Contains(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>LIKE pattern of text starting with a literal (digits and "+": nothing to escape).</summary>
    public static string StartsWith(string text) => text + "%";
}

public sealed class ListAdminClientsHandler(PortalAuthDbContext db, ITenantContext tenant) : IQueryHandler<ListAdminClients, AdminClientPage>
{
    public async ValueTask<AdminClientPage> Handle(ListAdminClients query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? 50;
        var clients = db.Clients.AsNoTracking();
        // Runs of spaces, tabs and line breaks are one space for the phone matches below ("0412  345"); the fold drops
        // them all, so no search spans two of the search column's lines.
        var search = query.Search is null ? null : string.Join(' ', query.Search.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (!string.IsNullOrEmpty(search))
        {
            // Names and email: the stored search column (names both ways round, email), folded by the one rule the
            // duplicate hint uses too (accents, case, spacing and punctuation aside), holds the search text folded the
            // same way by the database: "Zoe" finds Zoë and "Zoë" finds Zoe, "obrien" and "o brien" find O'Brien, "mary
            // jane" finds Mary-Jane. A search of only spaces and punctuation ("-") folds to nothing and finds no name.
            var folded = await AdminClients.FoldAsync(db, search, cancellationToken) is { Length: > 0 } text ? text : null;
            // A phone typed as the business writes it locally ("0412 345 678") matches its E.164 form too.
            var mobile = Mobiles.ToE164(search, tenant.Current!.CountryCode);
            var digits = new string(search.Where(char.IsAsciiDigit).ToArray());
            var digitsPattern = digits.Length >= 3 ? AdminClients.Contains(digits) : null;
            // The start of a number as shown ("0491 570", the trunk prefix dropped by the country's rules): its E.164 start.
            var startPattern = Mobiles.E164Start(search, tenant.Current!.CountryCode) is { } start ? AdminClients.StartsWith(start) : null;
            clients = clients.Where(c =>
                (folded != null && EF.Property<string>(c, PortalAuthDbContext.ClientSearchText).Contains(folded))
                || (c.Mobile != null && (c.Mobile == mobile
                    || (digitsPattern != null && EF.Functions.Like(c.Mobile, digitsPattern))
                    || (startPattern != null && EF.Functions.Like(c.Mobile, startPattern))))
                // The other phone (a landline, decision 292) the same ways: the front desk looks a caller up by it (decision 293).
                || (c.OtherPhone != null && ((digitsPattern != null && EF.Functions.Like(c.OtherPhone, digitsPattern))
                    || (startPattern != null && EF.Functions.Like(c.OtherPhone, startPattern)))));
        }

        if (!string.IsNullOrEmpty(query.Cursor) && ClientCursor.Decode(query.Cursor) is { } after)
        {
            clients = clients.Where(c => string.Compare(c.LastName, after.L) > 0
                || (c.LastName == after.L && (string.Compare(c.FirstName, after.F) > 0 || (c.FirstName == after.F && c.Id.CompareTo(after.I) > 0))));
        }

        var page = await clients.Include(c => c.Pets)
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id)
            .Take(limit + 1)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var next = page.Count > limit ? new ClientCursor(page[limit - 1].LastName, page[limit - 1].FirstName, page[limit - 1].Id).Encode() : null;
        return new AdminClientPage(page.Take(limit).Select(c => AdminClients.View(c, tenant)).ToList(), next);
    }
}

public sealed class GetAdminClientHandler(PortalAuthDbContext db, ITenantContext tenant) : IQueryHandler<GetAdminClient, AdminClient>
{
    public async ValueTask<AdminClient> Handle(GetAdminClient query, CancellationToken cancellationToken)
    {
        var client = await db.Clients.AsNoTracking().Include(c => c.Pets).FirstOrDefaultAsync(c => c.Id == query.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Client not found.");
        return AdminClients.View(client, tenant, await AdminClients.RemovedPetsAsync(db, client.Id, cancellationToken));
    }
}

public sealed class ApproveClientHandler(PortalAuthDbContext db, ITenantContext tenant) : ICommandHandler<ApproveClient, AdminClient>
{
    /// <summary>
    /// Reads and changes the status on the locked row, so two approvals at once (the Requests page and the client page)
    /// take turns and only the first one tells the client.
    /// </summary>
    public async ValueTask<AdminClient> Handle(ApproveClient command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM portalauth.clients WHERE id = {command.Id} FOR NO KEY UPDATE", cancellationToken);
        var client = await db.Clients.Include(c => c.Pets).FirstOrDefaultAsync(c => c.Id == command.Id, cancellationToken)
            ?? throw ProblemException.NotFound("Client not found.");
        if (client.Status == ClientStatus.PendingApproval)
        {
            client.Status = ClientStatus.Active;
            // Only the change is told (a repeat approves nothing): the client hears they can book directly.
            db.Publish(new Contracts.ClientApproved(Guid.CreateVersion7(), client.TenantId, client.Id));
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return AdminClients.View(client, tenant, await AdminClients.RemovedPetsAsync(db, client.Id, cancellationToken));
    }
}

public sealed class RestoreClientPetHandler(PortalAuthDbContext db, ISender sender) : ICommandHandler<RestoreClientPet, AdminPet>
{
    /// <summary>"Rex cannot come back while this client has another pet called rex on file. …"</summary>
    public static string NameTaken(string name, string other) =>
        $"{name} cannot come back while this client has another pet called {other} on file. Rename that pet first, then restore this one.";

    /// <summary>
    /// Counts and restores on the client's row, as adding does (<see cref="PetRules.HasRoomAsync"/>), so a restore and
    /// an add (or two restores) at 49 pets cannot both pass the limit. Staff may restore whether or not the business
    /// books for pets now: it is the client's record, as the pets the client view lists are.
    /// </summary>
    public async ValueTask<AdminPet> Handle(RestoreClientPet command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var room = await PetRules.HasRoomAsync(db, command.ClientId, cancellationToken);
        var pet = await db.Pets.IgnoreQueryFilters([Pet.OnFile])
            .FirstOrDefaultAsync(p => p.Id == command.PetId && p.ClientId == command.ClientId, cancellationToken)
            ?? throw await MyPetRules.NotTheirsAsync(db, command.ClientId, sender, cancellationToken); // merged away: 409 naming the kept client
        if (pet.RemovedAt is null)
        {
            return AdminClients.OnFile(pet); // on file already: nothing to do, nothing counted
        }

        if (!room)
        {
            throw ProblemException.Invalid("petId", $"{pet.Name} cannot come back: the client has {PetRules.MaxPerClient} pets on file, the most a client may have.");
        }

        // A removed pet's name is free while it is removed; back on file, it must not be the name of another of the
        // client's pets there (two choices of one name when booking): rename that one first.
        if (await MyPetRules.OnFileNamedAsync(db, command.ClientId, pet.Name, pet.Id, cancellationToken) is { } other)
        {
            throw ProblemException.Invalid("name", NameTaken(pet.Name, other));
        }

        pet.RemovedAt = null;
        await MyPetRules.SaveNamedAsync(db, pet, taken => NameTaken(pet.Name, taken), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AdminClients.OnFile(pet);
    }
}

public static class AdminClientsEndpoints
{
    public static void MapAdminClients(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin/clients").WithTags("Staff");

        // Owners and admins: a practitioner reads the diary only (API.md; decision 113), where a client is a name.
        group.MapGet("", async (string? search, string? limit, string? cursor, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ListAdminClients(search, QueryLimit.Read(limit), cursor), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ListClients")
            .WithSummary("Clients by name; search matches name, email, mobile or other phone; keyset paging with limit and cursor (nextCursor).")
            .Produces<AdminClientPage>()
            .ProducesValidationProblem();

        group.MapGet("/{id}", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetAdminClient(ProblemException.IdOrNotFound(id, "Client not found.")), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetClient")
            .Produces<AdminClient>();

        group.MapPost("", async (AddClient command, ISender sender, CancellationToken ct) =>
            {
                var client = await sender.Send(command, ct);
                return Results.Created($"/api/v1/admin/clients/{client.Id}", client);
            })
            .RequireStaff(StaffRoles.Setup)
            .WithName("AddClient")
            .WithSummary("Staff add a client: active, no password; a mobile given is on file for phone sign-in (verified). Email or mobile (or both); each unique in the business (`validation` on the field).")
            .Produces<AdminClient>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        group.MapPut("/{id}", async (string id, ClientDetailsBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ChangeClient(ProblemException.IdOrNotFound(id, "Client not found."), body.FirstName, body.LastName, body.Email, body.Mobile) { OtherPhone = body.OtherPhone }, ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ChangeClient")
            .WithSummary("Staff change a client's names, email and mobile (the whole set). A changed mobile is on file for phone sign-in (verified); a changed email is the client's sign-in address and voids reset links sent to the old one.")
            .Answers(404, ProblemKinds.NotFound)
            .Produces<AdminClient>()
            .ProducesValidationProblem();

        group.MapPost("/{id}/approve", async (string id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ApproveClient(ProblemException.IdOrNotFound(id, "Client not found.")), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("ApproveClient")
            .WithSummary("A client waiting for approval becomes active.")
            .Produces<AdminClient>();

        group.MapPost("/{id}/pets/{petId}/restore", async (string id, string petId, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new RestoreClientPet(
                    ProblemException.IdOrNotFound(id, AdminClients.PetNotFound), ProblemException.IdOrNotFound(petId, AdminClients.PetNotFound)), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("RestoreClientPet")
            .WithSummary("A pet the client removed is on file again (listed, bookable, counted; at most 50: else `validation` on `petId`). A pet on file answers as it is.")
            .Answers(404, ProblemKinds.NotFound)
            .Answers(409, ProblemKinds.ChangedMeanwhile) // the client was merged into another record (decision 307)
            .Produces<AdminPet>()
            .ProducesValidationProblem();
    }
}
