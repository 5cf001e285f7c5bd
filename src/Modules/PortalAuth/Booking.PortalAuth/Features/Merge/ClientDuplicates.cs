using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Merge;

/// <summary>
/// Another client of the business who may be the same person. <paramref name="Why"/>: <c>name</c> (the same first and
/// last name, whatever the case, accents, spacing and punctuation (apostrophes, hyphens, dots: "Sarah Oneill" and
/// "Sarah O'Neill", decision 304), either way round) and/or <c>mobile</c> (the same last nine digits
/// of the mobile: one number stored under another country code) and/or <c>phone</c> (decision 300: the last nine digits
/// of one's other phone, a landline, and the other's mobile or other phone). CreatedAt carries the business's offset.
/// <paramref name="SameNamePets"/> (decision 306): the pets on file of this record whose name the asked client has a pet
/// on file with, as a merge of this record into the asked one could combine them (<c>fromPetId</c> this record's).
/// <paramref name="OverlappingAppointments"/> (decision 314): the asked client's upcoming appointments (<c>mine</c>) that
/// overlap in time one of this record's (<c>theirs</c>): a merge would leave the person booked twice at once.
/// </summary>
public sealed record DuplicateClient(Guid Id, string Name, string? Email, string? Mobile, IReadOnlyList<string> Why, DateTimeOffset CreatedAt,
    IReadOnlyList<SameNamePet> SameNamePets, IReadOnlyList<MergeOverlap>? OverlappingAppointments = null)
{
    /// <summary>The record's other phone (a landline, decision 292): the hint shows it when the record has no email or mobile (decision 314).</summary>
    public string? OtherPhone { get; init; }
}

/// <summary>A pet of a possible duplicate (<paramref name="FromPetId"/>) and the asked client's pet of the same name (<paramref name="IntoPetId"/>).</summary>
public sealed record SameNamePet(Guid FromPetId, Guid IntoPetId, string Name);

public sealed record DuplicateClients(IReadOnlyList<DuplicateClient> Items);

/// <summary>Other clients of the business who may be the same person as this one, newest first, at most <see cref="Max"/>.</summary>
public sealed record FindDuplicateClients(Guid Id) : IQuery<DuplicateClients>
{
    public const int Max = 5;
}

/// <summary>
/// One statement: the client's row by its key, and the business's other clients read by the index on tenant_id, each
/// compared on its stored search column (<see cref="PortalAuthDbContext.ClientSearchText"/>, names folded once per save
/// by <see cref="PortalAuthDbContext.FoldSql"/>, the rule staff search folds by too: accents, case, spacing and
/// punctuation dropped; its first line is "first last", its second "last first"), compared as they are. No index can
/// serve the comparison for the app's role under row-level security (see the README's Client search: unaccent and
/// regexp are not leakproof), so it costs what staff search costs, about 2 ms for a business of 3,000 clients, once per client page. Email and mobile are unique in a
/// business (<see cref="PortalAuthDbContext.ClientEmailIndex"/>, <see cref="PortalAuthDbContext.ClientMobileIndex"/>),
/// so two records never share one exactly; a mobile's last nine digits catch one number entered under two country codes.
/// </summary>
public sealed class FindDuplicateClientsHandler(PortalAuthDbContext db, ITenantContext tenant, ISender sender) : IQueryHandler<FindDuplicateClients, DuplicateClients>
{
    public async ValueTask<DuplicateClients> Handle(FindDuplicateClients query, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId!.Value;
        if (!await db.Clients.AnyAsync(c => c.Id == query.Id, cancellationToken))
        {
            throw ProblemException.NotFound("Client not found.");
        }

        var rows = await db.Database.SqlQuery<DuplicateRow>($"""
            WITH me AS (
                SELECT split_part(search_text, E'\n', 1) AS name,
                       split_part(search_text, E'\n', 2) AS turned,
                       right(regexp_replace(coalesce(mobile, ''), '\D', '', 'g'), 9) AS digits,
                       right(regexp_replace(coalesce(other_phone, ''), '\D', '', 'g'), 9) AS other_digits
                FROM portalauth.clients WHERE tenant_id = {tenantId} AND id = {query.Id})
            SELECT o.id, o.first_name, o.last_name, o.email, o.mobile, o.other_phone, o.created_at, o.same_name, o.same_mobile, o.same_phone
            FROM (
                SELECT c.*,
                       split_part(c.search_text, E'\n', 1) IN (me.name, me.turned) AS same_name,
                       length(me.digits) = 9 AND right(regexp_replace(coalesce(c.mobile, ''), '\D', '', 'g'), 9) = me.digits AS same_mobile,
                       -- decision 300: an other phone (a landline) against the other's mobile or other phone, either way round
                       (length(me.other_digits) = 9 AND me.other_digits IN (right(regexp_replace(coalesce(c.mobile, ''), '\D', '', 'g'), 9),
                                                                         right(regexp_replace(coalesce(c.other_phone, ''), '\D', '', 'g'), 9)))
                       OR (length(me.digits) = 9 AND right(regexp_replace(coalesce(c.other_phone, ''), '\D', '', 'g'), 9) = me.digits) AS same_phone
                FROM portalauth.clients c, me
                WHERE c.tenant_id = {tenantId} AND c.id <> {query.Id}) o
            WHERE o.same_name OR o.same_mobile OR o.same_phone
            ORDER BY o.created_at DESC, o.id
            LIMIT {FindDuplicateClients.Max}
            """).ToListAsync(cancellationToken);
        // The pets on file of the client and the candidates, names folded by PostgreSQL's lower() as the unique index folds
        // them (decision 300): one query by the index on (tenant, client), none when there is no candidate.
        var clientIds = rows.Select(r => r.Id).Append(query.Id).ToList();
        var pets = rows.Count == 0 ? [] : await db.Pets.AsNoTracking().Where(p => clientIds.Contains(p.ClientId))
            .Select(p => new { p.Id, p.ClientId, p.Name, Folded = p.Name.ToLower() }).ToListAsync(cancellationToken);
        // Decision 314: one Appointments read for all candidates, none when there is no candidate.
        var overlaps = rows.Count == 0 ? [] : await sender.Send(new FindMergeOverlaps(query.Id, rows.Select(r => r.Id).ToList()), cancellationToken);
        var mine = pets.Where(p => p.ClientId == query.Id).GroupBy(p => p.Folded).ToDictionary(g => g.Key, g => g.First());
        return new DuplicateClients(rows.Select(r => new DuplicateClient(r.Id, $"{r.FirstName} {r.LastName}".Trim(), r.Email, r.Mobile,
            [.. r.SameName ? ["name"] : Array.Empty<string>(), .. r.SameMobile ? ["mobile"] : Array.Empty<string>(), .. r.SamePhone ? ["phone"] : Array.Empty<string>()], tenant.Local(r.CreatedAt),
            pets.Where(p => p.ClientId == r.Id && mine.ContainsKey(p.Folded)).OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase)
                .Select(p => new SameNamePet(p.Id, mine[p.Folded].Id, p.Name)).ToList(),
            overlaps.Where(o => o.OtherClientId == r.Id).ToList()) { OtherPhone = r.OtherPhone }).ToList());
    }

    /// <summary>A row of the statement (columns in the context's snake_case names).</summary>
    public sealed class DuplicateRow
    {
        public Guid Id { get; set; }

        public string FirstName { get; set; } = "";

        public string LastName { get; set; } = "";

        public string? Email { get; set; }

        public string? Mobile { get; set; }

        public string? OtherPhone { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public bool SameName { get; set; }

        public bool SameMobile { get; set; }

        public bool SamePhone { get; set; }
    }
}
