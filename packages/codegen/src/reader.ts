import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import {
  type InterfaceDeclaration,
  type JSDocableNode,
  Node,
  Project,
  type PropertySignature,
  type SourceFile,
  SyntaxKind,
  type TypeAliasDeclaration,
  type TypeElementTypes,
  type TypeNode,
} from "ts-morph";
import { CodegenError, type Diagnostic } from "./CodegenError.ts";
import type {
  BigIntFormat,
  FieldModel,
  FileModel,
  MethodModel,
  NamedType,
  NumberFormat,
  ServiceModel,
  SourceLocation,
  TypeModel,
  VariantModel,
} from "./model.ts";

/** Options of {@link readDeclarations}. */
export interface ReadOptions {
  /** Paths in diagnostics are relative to this directory (default: the current directory). */
  readonly cwd?: string;
  /** Deepest nesting of inline (anonymous) types before it is an error. Default 32. */
  readonly maxInlineDepth?: number;
  /** An existing ts-morph project to read from (for tests and watch mode). */
  readonly project?: Project;
}

const NUMBER_ALIASES = new Set<NumberFormat>(["f64", "f32", "u8", "u16", "u32", "i8", "i16", "i32"]);
const BIGINT_ALIASES = new Set<BigIntFormat>(["u64", "i64"]);
const CORE_CLASSES: Record<string, TypeModel> = {
  UID: { kind: "uid" },
  Endpoint: { kind: "endpoint" },
  NetworkAddress: { kind: "address" },
};
/** Field names that would read from `Object.prototype` or pollute it. */
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function hasTag(node: JSDocableNode, tag: string): boolean {
  return node.getJsDocs().some((d) => d.getTags().some((t) => t.getTagName() === tag));
}

function tagValue(node: JSDocableNode, tag: string): string | undefined {
  for (const d of node.getJsDocs()) {
    for (const t of d.getTags()) {
      if (t.getTagName() === tag) return (t.getCommentText() ?? "").trim();
    }
  }
  return undefined;
}

function docOf(node: JSDocableNode): string | undefined {
  const text = node
    .getJsDocs()
    .map((d) => d.getDescription().trim())
    .filter((t) => t.length > 0)
    .join("\n");
  return text.length > 0 ? text : undefined;
}

/** `fooBar` -> `foo_bar` (serde's `rename_all = "snake_case"`). */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

/**
 * Reads the `@service` interfaces of `files` and every message type they use, through the
 * TypeScript compiler (ts-morph). Throws {@link CodegenError} listing every unsupported
 * declaration with its `file:line:column`.
 */
export function readDeclarations(files: readonly string[], options: ReadOptions = {}): FileModel[] {
  const project = options.project ?? projectFor(files[0]);
  const sources = files.map((f) => project.getSourceFile(f) ?? project.addSourceFileAtPath(f));
  project.resolveSourceFileDependencies();
  const reader = new Reader(options.cwd ?? process.cwd(), options.maxInlineDepth ?? 32);
  const models = sources.map((s) => reader.readFile(s));
  if (reader.diagnostics.length > 0) throw new CodegenError(reader.diagnostics);
  return models;
}

// The nearest tsconfig.json of the inputs gives module resolution (paths, export conditions), so
// imported types such as `@moonpool/core`'s classes resolve as they do for the compiler.
function projectFor(file: string | undefined): Project {
  let dir = file === undefined ? process.cwd() : dirname(resolve(file));
  for (;;) {
    const config = join(dir, "tsconfig.json");
    if (existsSync(config))
      return new Project({ tsConfigFilePath: config, skipAddingFilesFromTsConfig: true });
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return new Project({
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { strict: true, allowImportingTsExtensions: true, noEmit: true },
  });
}

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  readonly #cwd: string;
  readonly #maxInlineDepth: number;
  // Named types by declaration node, converted once.
  readonly #named = new Map<Node, NamedType>();
  readonly #inProgress = new Set<Node>();
  readonly #names = new Map<string, Node>();

  constructor(cwd: string, maxInlineDepth: number) {
    this.#cwd = cwd;
    this.#maxInlineDepth = maxInlineDepth;
  }

  location(node: Node): SourceLocation {
    const sf = node.getSourceFile();
    const { line, column } = sf.getLineAndColumnAtPos(node.getStart());
    return { file: relative(this.#cwd, sf.getFilePath()) || sf.getFilePath(), line, column };
  }

  error(node: Node, message: string): TypeModel {
    this.diagnostics.push({ ...this.location(node), message });
    return { kind: "null" };
  }

  readFile(sf: SourceFile): FileModel {
    const services: ServiceModel[] = [];
    const used = new Set<NamedType>();
    for (const iface of sf.getInterfaces()) {
      if (!hasTag(iface, "service")) continue;
      if (!iface.isExported()) {
        this.error(iface.getNameNode(), `service ${iface.getName()} must be exported`);
        continue;
      }
      services.push(this.readService(iface, used));
    }
    for (const alias of sf.getTypeAliases()) {
      if (hasTag(alias, "service"))
        this.error(alias.getNameNode(), "@service goes on an interface (methods), not a type alias");
    }
    const types = [...used].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { file: sf.getFilePath(), services, types };
  }

  readService(iface: InterfaceDeclaration, used: Set<NamedType>): ServiceModel {
    const name = iface.getName();
    if (iface.getTypeParameters().length > 0)
      this.error(iface.getNameNode(), `service ${name} cannot be generic`);
    if (iface.getExtends().length > 0)
      this.error(iface.getExtends()[0]!, `service ${name}: extends is not supported (list every method)`);
    const methods: MethodModel[] = [];
    const seen = new Set<string>();
    const collect = (t: TypeModel): TypeModel => {
      this.collectUsed(t, used, new Set());
      return t;
    };
    for (const member of iface.getMembers()) {
      if (!Node.isMethodSignature(member)) {
        this.error(
          member,
          `service ${name}: every member must be a method \`name(req: Req): Promise<Resp>\``,
        );
        continue;
      }
      const mName = member.getName();
      if (!Node.isIdentifier(member.getNameNode())) {
        // A quoted or computed name has no Rust method or TypeScript alias form.
        this.error(member.getNameNode(), `service ${name}: method name ${mName} must be an identifier`);
        continue;
      }
      if (seen.has(mName)) {
        this.error(
          member,
          `service ${name}: method ${mName} is declared twice (overloads are not supported)`,
        );
        continue;
      }
      seen.add(mName);
      if (member.getTypeParameters().length > 0)
        this.error(member, `method ${name}.${mName} cannot be generic`);
      const params = member.getParameters();
      if (params.length !== 1) {
        this.error(
          member,
          `method ${name}.${mName} must take exactly one request parameter (has ${params.length})`,
        );
        continue;
      }
      const paramType = params[0]!.getTypeNode();
      const ret = member.getReturnTypeNode();
      if (!paramType || !ret) {
        this.error(member, `method ${name}.${mName} needs explicit request and return types`);
        continue;
      }
      if (
        !Node.isTypeReference(ret) ||
        ret.getTypeName().getText() !== "Promise" ||
        ret.getTypeArguments().length !== 1
      ) {
        this.error(ret, `method ${name}.${mName} must return Promise<Response>`);
        continue;
      }
      const respNode = ret.getTypeArguments()[0]!;
      const response =
        respNode.getKind() === SyntaxKind.VoidKeyword || respNode.getKind() === SyntaxKind.UndefinedKeyword
          ? ({ kind: "void" } as const)
          : this.convert(respNode, 0);
      methods.push({
        name: mName,
        request: collect(this.convert(paramType, 0)),
        response: collect(response),
        doc: docOf(member),
      });
    }
    if (methods.length === 0 && this.diagnostics.length === 0)
      this.error(iface.getNameNode(), `service ${name} has no methods`);
    return {
      name,
      methods,
      file: iface.getSourceFile().getFilePath(),
      location: this.location(iface),
      doc: docOf(iface),
    };
  }

  collectUsed(t: TypeModel, used: Set<NamedType>, visiting: Set<string>): void {
    switch (t.kind) {
      case "ref": {
        const named = [...this.#named.values()].find((n) => n.name === t.name);
        if (!named || used.has(named) || visiting.has(t.name)) return;
        used.add(named);
        visiting.add(t.name);
        this.collectUsed(named.type, used, visiting);
        return;
      }
      case "array":
        this.collectUsed(t.item, used, visiting);
        return;
      case "record":
        this.collectUsed(t.value, used, visiting);
        return;
      case "nullable":
        this.collectUsed(t.inner, used, visiting);
        return;
      case "tuple":
        for (const i of t.items) this.collectUsed(i, used, visiting);
        return;
      case "object":
        for (const f of t.fields) this.collectUsed(f.type, used, visiting);
        return;
      case "union":
        for (const v of t.variants) for (const f of v.fields) this.collectUsed(f.type, used, visiting);
        return;
      default:
        return;
    }
  }

  convert(node: TypeNode, depth: number): TypeModel {
    if (depth > this.#maxInlineDepth)
      return this.error(node, `inline types nest deeper than ${this.#maxInlineDepth}: name the inner types`);
    switch (node.getKind()) {
      case SyntaxKind.StringKeyword:
        return { kind: "string" };
      case SyntaxKind.NumberKeyword:
        return { kind: "number", format: "f64" };
      case SyntaxKind.BooleanKeyword:
        return { kind: "boolean" };
      case SyntaxKind.BigIntKeyword:
        return { kind: "bigint", format: "u64" };
      case SyntaxKind.NullKeyword:
        return { kind: "null" };
      case SyntaxKind.ParenthesizedType:
        return this.convert((node as TypeNode).getChildAtIndex(1) as TypeNode, depth);
      case SyntaxKind.LiteralType:
        return this.literal(node);
      case SyntaxKind.ArrayType:
        if (!Node.isArrayTypeNode(node)) break;
        return { kind: "array", item: this.convert(node.getElementTypeNode(), depth + 1) };
      case SyntaxKind.TypeOperator:
        if (Node.isTypeOperatorTypeNode(node) && node.getOperator() === SyntaxKind.ReadonlyKeyword)
          return this.convert(node.getTypeNode(), depth);
        return this.error(node, `unsupported type operator in \`${node.getText()}\``);
      case SyntaxKind.TupleType: {
        if (!Node.isTupleTypeNode(node)) break;
        const items = node.getElements().map((e) => {
          if (Node.isNamedTupleMember(e)) {
            if (e.hasQuestionToken() || e.getDotDotDotToken())
              return this.error(e, "optional and rest tuple elements are not supported");
            return this.convert(e.getTypeNode(), depth + 1);
          }
          if (Node.isOptionalTypeNode(e) || Node.isRestTypeNode(e))
            return this.error(e, "optional and rest tuple elements are not supported");
          return this.convert(e, depth + 1);
        });
        return { kind: "tuple", items };
      }
      case SyntaxKind.TypeLiteral:
        if (!Node.isTypeLiteral(node)) break;
        return this.objectType(node.getMembers(), node, depth + 1, undefined);
      case SyntaxKind.UnionType:
        if (!Node.isUnionTypeNode(node)) break;
        return this.union(node.getTypeNodes(), node, depth);
      case SyntaxKind.TypeReference:
        return this.reference(node, depth);
      case SyntaxKind.FunctionType:
      case SyntaxKind.ConstructorType:
        return this.error(node, "function types cannot travel on the wire");
      case SyntaxKind.AnyKeyword:
      case SyntaxKind.UnknownKeyword:
        return this.error(node, `\`${node.getText()}\` has no wire shape: give the type`);
      case SyntaxKind.UndefinedKeyword:
      case SyntaxKind.VoidKeyword:
        return this.error(
          node,
          "`undefined` is only allowed as an optional field (`x?: T`) or a `Promise<void>` response",
        );
      default:
        break;
    }
    return this.error(node, `unsupported type \`${node.getText()}\` (${node.getKindName()})`);
  }

  literal(node: TypeNode): TypeModel {
    const lit = node.getChildAtIndex(0);
    if (Node.isStringLiteral(lit)) return { kind: "literal", value: lit.getLiteralValue() };
    if (Node.isNumericLiteral(lit)) return { kind: "literal", value: lit.getLiteralValue() };
    if (lit.getKind() === SyntaxKind.TrueKeyword) return { kind: "literal", value: true };
    if (lit.getKind() === SyntaxKind.FalseKeyword) return { kind: "literal", value: false };
    if (lit.getKind() === SyntaxKind.NullKeyword) return { kind: "null" };
    return this.error(node, `unsupported literal type \`${node.getText()}\``);
  }

  union(members: TypeNode[], node: TypeNode, depth: number): TypeModel {
    const isNull = (n: TypeNode) =>
      n.getKind() === SyntaxKind.NullKeyword ||
      (n.getKind() === SyntaxKind.LiteralType && n.getChildAtIndex(0).getKind() === SyntaxKind.NullKeyword);
    const nonNull = members.filter((m) => !isNull(m));
    if (members.some((m) => m.getKind() === SyntaxKind.UndefinedKeyword))
      return this.error(node, "`| undefined` is not supported: use an optional field `x?: T`");
    if (nonNull.length < members.length) {
      const inner =
        nonNull.length === 1 ? this.convert(nonNull[0]!, depth) : this.union(nonNull, node, depth);
      return { kind: "nullable", inner };
    }
    const converted = members.map((m) => this.convert(m, depth));
    if (converted.every((c) => c.kind === "literal" && typeof c.value === "string")) {
      const values = converted.map((c) => (c as { value: string }).value);
      if (new Set(values).size !== values.length) return this.error(node, "duplicate literal in union");
      return { kind: "enum", values };
    }
    if (
      converted.every((c) => c.kind === "literal" && typeof c.value === "boolean") &&
      converted.length === 2
    )
      return { kind: "boolean" };
    // A discriminated union: every member an object with a string-literal field in common.
    const objects = converted.map((c) => this.objectOf(c));
    if (objects.every((o) => o !== undefined)) {
      const candidates = objects[0]!
        .filter((f) => !f.optional && f.type.kind === "literal" && typeof f.type.value === "string")
        .map((f) => f.name);
      const tag = candidates.find((name) =>
        objects.every((o) => o.some((f) => f.name === name && !f.optional && f.type.kind === "literal")),
      );
      if (tag !== undefined) {
        const variants: VariantModel[] = objects.map((o) => ({
          tag: String((o.find((f) => f.name === tag)!.type as { value: unknown }).value),
          fields: o.filter((f) => f.name !== tag),
        }));
        if (new Set(variants.map((v) => v.tag)).size !== variants.length)
          return this.error(node, `discriminated union: two members have the same \`${tag}\``);
        return { kind: "union", tag, variants };
      }
    }
    return this.error(
      node,
      "unsupported union: use string literals, `T | null`, or object types sharing a string-literal tag field",
    );
  }

  objectOf(t: TypeModel): readonly FieldModel[] | undefined {
    if (t.kind === "object") return t.fields;
    if (t.kind === "ref") {
      const named = [...this.#named.values()].find((n) => n.name === t.name);
      return named && named.type.kind === "object" ? named.type.fields : undefined;
    }
    return undefined;
  }

  objectType(members: TypeElementTypes[], node: Node, depth: number, rename: string | undefined): TypeModel {
    const fields: FieldModel[] = [];
    const index = members.filter((m) => Node.isIndexSignatureDeclaration(m));
    if (index.length > 0) {
      const sig = index[0]!;
      if (members.length > 1 || !Node.isIndexSignatureDeclaration(sig))
        return this.error(node, "an index signature must be the only member (a map)");
      if (sig.getKeyTypeNode().getKind() !== SyntaxKind.StringKeyword)
        return this.error(sig, "map keys must be strings");
      const valueNode = sig.getReturnTypeNode();
      if (!valueNode) return this.error(sig, "map values need a type");
      return { kind: "record", value: this.convert(valueNode, depth + 1) };
    }
    for (const m of members) {
      if (
        Node.isMethodSignature(m) ||
        Node.isCallSignatureDeclaration(m) ||
        Node.isConstructSignatureDeclaration(m)
      ) {
        this.error(m, "methods cannot travel on the wire (a message type holds data only)");
        continue;
      }
      if (!Node.isPropertySignature(m)) {
        this.error(m, `unsupported member \`${m.getText()}\``);
        continue;
      }
      const field = this.field(m, depth, rename);
      if (field) fields.push(field);
    }
    return { kind: "object", fields };
  }

  field(m: PropertySignature, depth: number, rename: string | undefined): FieldModel | undefined {
    const nameNode = m.getNameNode();
    if (!Node.isIdentifier(nameNode) && !Node.isStringLiteral(nameNode)) {
      this.error(nameNode, "computed property names are not supported");
      return undefined;
    }
    const name = Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText();
    if (FORBIDDEN_KEYS.has(name)) {
      this.error(nameNode, `field name "${name}" is forbidden (prototype pollution)`);
      return undefined;
    }
    const typeNode = m.getTypeNode();
    if (!typeNode) {
      this.error(m, `field ${name} needs a type`);
      return undefined;
    }
    const explicit = tagValue(m, "wire");
    const wireName = explicit ? explicit : rename === "snake_case" ? snakeCase(name) : name;
    return { name, wireName, type: this.convert(typeNode, depth), optional: m.hasQuestionToken() };
  }

  reference(node: TypeNode, depth: number): TypeModel {
    if (!Node.isTypeReference(node)) return this.error(node, "unsupported reference");
    const name = node.getTypeName().getText();
    const args = node.getTypeArguments();
    if (name === "Array" || name === "ReadonlyArray") {
      if (args.length !== 1) return this.error(node, `${name} needs one type argument`);
      return { kind: "array", item: this.convert(args[0]!, depth + 1) };
    }
    if (name === "Record") {
      if (args.length !== 2 || args[0]!.getKind() !== SyntaxKind.StringKeyword)
        return this.error(node, "only Record<string, T> maps are supported");
      return { kind: "record", value: this.convert(args[1]!, depth + 1) };
    }
    if (name === "Uint8Array") return { kind: "bytes" };
    if (name === "Promise") return this.error(node, "Promise is only allowed as a method's return type");
    if (name === "Map" || name === "Set" || name === "Date")
      return this.error(node, `${name} has no serde JSON form: use Record<string, T>, an array or a number`);

    const symbol = node.getTypeName().getSymbol();
    const target = symbol?.getAliasedSymbol() ?? symbol;
    const decl = target?.getDeclarations()[0];
    if (!decl) return this.error(node, `cannot resolve type \`${name}\``);
    const declName = target!.getName();

    if (Node.isClassDeclaration(decl)) {
      const core = CORE_CLASSES[declName];
      if (core && decl.getSourceFile().getFilePath().includes("core")) return core;
      return this.error(
        node,
        `class ${declName} is not a message type (classes carry methods): declare an interface`,
      );
    }
    if (Node.isTypeAliasDeclaration(decl) && args.length === 0) {
      const body = decl.getTypeNode();
      if (NUMBER_ALIASES.has(declName as NumberFormat) && body?.getKind() === SyntaxKind.NumberKeyword)
        return { kind: "number", format: declName as NumberFormat };
      if (BIGINT_ALIASES.has(declName as BigIntFormat) && body?.getKind() === SyntaxKind.BigIntKeyword)
        return { kind: "bigint", format: declName as BigIntFormat };
    }
    if (declName === "ServiceRef" && Node.isInterfaceDeclaration(decl) && args.length === 1) {
      const arg = args[0]!;
      const svcSym = Node.isTypeReference(arg) ? arg.getTypeName().getSymbol() : undefined;
      const svc = (svcSym?.getAliasedSymbol() ?? svcSym)?.getDeclarations()[0];
      if (!svc || !Node.isInterfaceDeclaration(svc) || !hasTag(svc, "service"))
        return this.error(arg, "ServiceRef<S> needs a @service interface");
      return { kind: "service", service: svc.getName() };
    }
    if (Node.isEnumDeclaration(decl))
      return this.error(node, `TypeScript enum ${declName} is not supported: use a union of string literals`);
    if (Node.isInterfaceDeclaration(decl) && hasTag(decl, "service"))
      return this.error(node, `service ${declName} cannot be a field: use ServiceRef<${declName}>`);
    if (!Node.isInterfaceDeclaration(decl) && !Node.isTypeAliasDeclaration(decl))
      return this.error(node, `\`${name}\` is not an interface or type alias`);
    if (decl.getTypeParameters().length > 0 || args.length > 0)
      return this.error(
        node,
        `generic type \`${node.getText()}\` cannot be resolved by the generator: declare a concrete type`,
      );
    return this.named(decl, node);
  }

  named(decl: InterfaceDeclaration | TypeAliasDeclaration, use: Node): TypeModel {
    const name = decl.getName();
    const ref: TypeModel = { kind: "ref", name };
    if (this.#named.has(decl) || this.#inProgress.has(decl)) return ref;
    const other = this.#names.get(name);
    if (other && other !== decl) {
      return this.error(
        use,
        `two message types are named ${name} (${this.where(other)} and ${this.where(decl)})`,
      );
    }
    this.#names.set(name, decl);
    if (!decl.isExported())
      this.error(
        decl.getNameNode(),
        `message type ${name} must be exported (the generated module imports it)`,
      );
    this.#inProgress.add(decl);
    const rename = tagValue(decl, "rename");
    if (rename !== undefined && rename !== "snake_case")
      this.error(decl.getNameNode(), `@rename supports only "snake_case" (got "${rename}")`);
    let type: TypeModel;
    if (Node.isInterfaceDeclaration(decl)) {
      if (decl.getExtends().length > 0) {
        type = this.error(
          decl.getExtends()[0]!,
          `interface ${name}: extends is not supported (list the fields)`,
        );
      } else {
        type = this.objectType(decl.getMembers(), decl, 1, rename);
      }
    } else {
      const body = decl.getTypeNode()!;
      type = Node.isTypeLiteral(body)
        ? this.objectType(body.getMembers(), body, 1, rename)
        : this.convert(body, 1);
      if (rename && type.kind === "union") {
        type = {
          ...type,
          variants: type.variants.map((v) => ({
            ...v,
            fields: v.fields.map((f) => ({ ...f, wireName: snakeCase(f.name) })),
          })),
        };
      }
    }
    this.#inProgress.delete(decl);
    const model: NamedType = {
      name,
      type,
      file: decl.getSourceFile().getFilePath(),
      location: this.location(decl),
      doc: docOf(decl),
    };
    this.#named.set(decl, model);
    this.checkFinite(model, decl);
    return ref;
  }

  where(node: Node): string {
    const l = this.location(node);
    return `${l.file}:${l.line}:${l.column}`;
  }

  // A type that contains itself through required fields only has no finite value.
  checkFinite(model: NamedType, decl: Node): void {
    const strict = (t: TypeModel, seen: Set<string>): boolean => {
      switch (t.kind) {
        case "ref": {
          if (t.name === model.name) return true;
          if (seen.has(t.name)) return false;
          seen.add(t.name);
          const named = [...this.#named.values()].find((n) => n.name === t.name);
          return named ? strict(named.type, seen) : false;
        }
        case "object":
          return t.fields.some((f) => !f.optional && strict(f.type, seen));
        case "tuple":
          return t.items.some((i) => strict(i, seen));
        case "union":
          return t.variants.every((v) => v.fields.some((f) => !f.optional && strict(f.type, seen)));
        default:
          return false; // arrays, maps and nullables can be empty
      }
    };
    if (strict(model.type, new Set()))
      this.error(
        (decl as InterfaceDeclaration).getNameNode?.() ?? decl,
        `type ${model.name} contains itself through required fields only: no finite value (make the field optional, nullable or an array)`,
      );
  }
}
