import Fluent
import SQLKit

/// `users`, `user_roles`, `refresh_tokens`, `api_keys` and the append-only `audit_logs` (docs
/// DESIGN.md §8). On PostgreSQL a trigger refuses UPDATE and DELETE on `audit_logs` for every
/// role, the application's included; rows can only be appended.
struct CreateSecurityTables: AsyncMigration {
    var name: String { "0007_create_security_tables" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            try await database.schema(UserModel.schema)
                .id()
                .field("email", .string, .required)
                .field("password_hash", .string)
                .field("kind", .string, .required)
                .field("disabled", .bool, .required)
                .field("created_at", .datetime, .required)
                .unique(on: "email")
                .ignoreExisting()
                .create()
            try await database.schema(UserRoleModel.schema)
                .id()
                .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
                .field("role", .string, .required)
                .unique(on: "user_id", "role")
                .ignoreExisting()
                .create()
            try await database.schema(RefreshTokenModel.schema)
                .id()
                .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
                .field("token_hash", .string, .required)
                .field("expires_at", .datetime, .required)
                .field("revoked_at", .datetime)
                .field("created_at", .datetime, .required)
                .unique(on: "token_hash")
                .ignoreExisting()
                .create()
            try await database.schema(APIKeyModel.schema)
                .id()
                .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
                .field("name", .string, .required)
                .field("key_hash", .string, .required)
                .field("created_at", .datetime, .required)
                .field("revoked_at", .datetime)
                .ignoreExisting()
                .create()
            try await database.schema(AuditLogModel.schema)
                .id()
                .field("seq", .int64, .required)
                .field("occurred_at", .datetime, .required)
                .field("actor", .string, .required)
                .field("role", .string)
                .field("action", .string, .required)
                .field("resource_type", .string, .required)
                .field("resource_id", .string)
                .field("outcome", .string, .required)
                .field("status", .int)
                .field("ip_address", .string)
                .field("user_agent", .string)
                .field("request_id", .string)
                .field("changes", .string)
                .field("prev_hash", .string, .required)
                .field("hash", .string, .required)
                .field("key_id", .string)
                .unique(on: "seq")
                .ignoreExisting()
                .create()
            try await SchemaIndex.create(on: database, table: AuditLogModel.schema, columns: ["occurred_at"])
            try await SchemaIndex.create(on: database, table: AuditLogModel.schema, columns: ["actor"])
            if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw(
                    """
                    CREATE OR REPLACE FUNCTION rcm_audit_logs_append_only() RETURNS trigger AS $$
                    BEGIN
                        RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP
                            USING ERRCODE = 'insufficient_privilege';
                    END;
                    $$ LANGUAGE plpgsql
                    """
                ).run()
                try await sql.raw("DROP TRIGGER IF EXISTS audit_logs_append_only ON audit_logs").run()
                try await sql.raw(
                    """
                    CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_logs
                    FOR EACH STATEMENT EXECUTE FUNCTION rcm_audit_logs_append_only()
                    """
                ).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_logs_append_only ON audit_logs").run()
            try await sql.raw("DROP FUNCTION IF EXISTS rcm_audit_logs_append_only()").run()
        }
        try await database.schema(AuditLogModel.schema).delete()
        try await database.schema(APIKeyModel.schema).delete()
        try await database.schema(RefreshTokenModel.schema).delete()
        try await database.schema(UserRoleModel.schema).delete()
        try await database.schema(UserModel.schema).delete()
    }
}
