package dev.gatehouse.engine.builtins.graphql.json;

import dev.gatehouse.engine.builtins.graphql.json.GoType.Bool;
import dev.gatehouse.engine.builtins.graphql.json.GoType.Custom;
import dev.gatehouse.engine.builtins.graphql.json.GoType.CustomKind;
import dev.gatehouse.engine.builtins.graphql.json.GoType.Int;
import dev.gatehouse.engine.builtins.graphql.json.GoType.Ptr;
import dev.gatehouse.engine.builtins.graphql.json.GoType.Slice;
import dev.gatehouse.engine.builtins.graphql.json.GoType.Str;
import dev.gatehouse.engine.builtins.graphql.json.GoType.Struct;

/**
 * gqlparser's AST structs with the fields encoding/json decodes (fields tagged {@code json:"-"},
 * such as most {@code Position}s, are absent; the four types with their own UnmarshalJSON read
 * theirs by hand).
 */
final class GoTypes {
  static final Str STRING = new Str("string");
  static final Bool BOOL = new Bool();
  static final Str OPERATION = new Str("ast.Operation");

  static final Struct SOURCE = new Struct("ast.Source");
  static final Struct POSITION = new Struct("ast.Position");
  static final Struct COMMENT = new Struct("ast.Comment");
  static final Struct COMMENT_GROUP = new Struct("ast.CommentGroup");
  static final Struct TYPE = new Struct("ast.Type");
  static final Struct VALUE = new Struct("ast.Value");
  static final Struct CHILD_VALUE = new Struct("ast.ChildValue");
  static final Struct ARGUMENT = new Struct("ast.Argument");
  static final Struct DIRECTIVE = new Struct("ast.Directive");
  static final Struct VARIABLE_DEFINITION = new Struct("ast.VariableDefinition");
  static final Struct FRAGMENT_SPREAD = new Struct("ast.FragmentSpread");
  static final Struct QUERY_DOCUMENT = new Struct("ast.QueryDocument");
  static final Struct SCHEMA_DOCUMENT = new Struct("ast.SchemaDocument");
  static final Struct SCHEMA_DEFINITION = new Struct("ast.SchemaDefinition");
  static final Struct OPERATION_TYPE_DEFINITION = new Struct("ast.OperationTypeDefinition");
  static final Struct DEFINITION = new Struct("ast.Definition");
  static final Struct FIELD_DEFINITION = new Struct("ast.FieldDefinition");
  static final Struct ARGUMENT_DEFINITION = new Struct("ast.ArgumentDefinition");
  static final Struct ENUM_VALUE_DEFINITION = new Struct("ast.EnumValueDefinition");
  static final Struct DIRECTIVE_DEFINITION = new Struct("ast.DirectiveDefinition");

  static final Custom OPERATION_DEFINITION = new Custom("ast.OperationDefinition", CustomKind.OPERATION);
  static final Custom FRAGMENT_DEFINITION = new Custom("ast.FragmentDefinition", CustomKind.FRAGMENT_DEFINITION);

  static final Slice DIRECTIVE_LIST = new Slice("ast.DirectiveList", new Ptr(DIRECTIVE));
  static final Slice ARGUMENT_LIST = new Slice("ast.ArgumentList", new Ptr(ARGUMENT));
  static final Slice VARIABLE_DEFINITION_LIST = new Slice("ast.VariableDefinitionList", new Ptr(VARIABLE_DEFINITION));
  static final Slice ARGUMENT_DEFINITION_LIST = new Slice("ast.ArgumentDefinitionList", new Ptr(ARGUMENT_DEFINITION));
  static final Ptr POSITION_PTR = new Ptr(POSITION);
  static final Ptr FIELD_DEFINITION_PTR = new Ptr(FIELD_DEFINITION);
  static final Ptr DEFINITION_PTR = new Ptr(DEFINITION);

  static {
    Ptr comments = new Ptr(COMMENT_GROUP);
    SOURCE.field("Name", STRING).field("Input", STRING).field("BuiltIn", BOOL);
    Int intType = new Int("int");
    POSITION.field("Start", intType).field("End", intType).field("Line", intType).field("Column", intType)
        .field("Src", new Ptr(SOURCE));
    COMMENT.field("Value", STRING).field("Position", POSITION_PTR);
    COMMENT_GROUP.field("List", new Slice("[]*ast.Comment", new Ptr(COMMENT)));
    TYPE.field("NamedType", STRING).field("Elem", new Ptr(TYPE)).field("NonNull", BOOL);
    VALUE.field("Raw", STRING).field("Children", new Slice("ast.ChildValueList", new Ptr(CHILD_VALUE)))
        .field("Kind", new Int("ast.ValueKind")).field("Comment", comments).field("Definition", DEFINITION_PTR)
        .field("VariableDefinition", new Ptr(VARIABLE_DEFINITION)).field("ExpectedType", new Ptr(TYPE))
        .field("ExpectedTypeHasDefault", BOOL);
    CHILD_VALUE.field("Name", STRING).field("Value", new Ptr(VALUE)).field("Comment", comments);
    ARGUMENT.field("Name", STRING).field("Value", new Ptr(VALUE)).field("Comment", comments);
    DIRECTIVE.field("Name", STRING).field("Arguments", ARGUMENT_LIST).field("ParentDefinition", DEFINITION_PTR)
        .field("Definition", new Ptr(DIRECTIVE_DEFINITION)).field("Location", new Str("ast.DirectiveLocation"));
    VARIABLE_DEFINITION.field("Variable", STRING).field("Type", new Ptr(TYPE)).field("DefaultValue", new Ptr(VALUE))
        .field("Directives", DIRECTIVE_LIST).field("Comment", comments).field("Definition", DEFINITION_PTR)
        .field("Used", BOOL);
    FRAGMENT_SPREAD.field("Name", STRING).field("Directives", DIRECTIVE_LIST).field("ObjectDefinition", DEFINITION_PTR)
        .field("Definition", FRAGMENT_DEFINITION).field("Comment", comments);
    QUERY_DOCUMENT.field("Operations", new Slice("ast.OperationList", OPERATION_DEFINITION))
        .field("Fragments", new Slice("ast.FragmentDefinitionList", FRAGMENT_DEFINITION)).field("Comment", comments);
    Slice schemaDefs = new Slice("ast.SchemaDefinitionList", new Ptr(SCHEMA_DEFINITION));
    Slice defs = new Slice("ast.DefinitionList", DEFINITION_PTR);
    SCHEMA_DOCUMENT.field("Schema", schemaDefs).field("SchemaExtension", schemaDefs)
        .field("Directives", new Slice("ast.DirectiveDefinitionList", new Ptr(DIRECTIVE_DEFINITION)))
        .field("Definitions", defs).field("Extensions", defs).field("Comment", comments);
    SCHEMA_DEFINITION.field("Description", STRING).field("Directives", DIRECTIVE_LIST)
        .field("OperationTypes", new Slice("ast.OperationTypeDefinitionList", new Ptr(OPERATION_TYPE_DEFINITION)))
        .field("BeforeDescriptionComment", comments).field("AfterDescriptionComment", comments)
        .field("EndOfDefinitionComment", comments);
    OPERATION_TYPE_DEFINITION.field("Operation", OPERATION).field("Type", STRING).field("Comment", comments);
    Slice strings = new Slice("[]string", STRING);
    DEFINITION.field("Kind", new Str("ast.DefinitionKind")).field("Description", STRING).field("Name", STRING)
        .field("Directives", DIRECTIVE_LIST).field("Interfaces", strings)
        .field("Fields", new Slice("ast.FieldList", FIELD_DEFINITION_PTR)).field("Types", strings)
        .field("EnumValues", new Slice("ast.EnumValueList", new Ptr(ENUM_VALUE_DEFINITION))).field("BuiltIn", BOOL)
        .field("BeforeDescriptionComment", comments).field("AfterDescriptionComment", comments)
        .field("EndOfDefinitionComment", comments);
    FIELD_DEFINITION.field("Description", STRING).field("Name", STRING).field("Arguments", ARGUMENT_DEFINITION_LIST)
        .field("DefaultValue", new Ptr(VALUE)).field("Type", new Ptr(TYPE)).field("Directives", DIRECTIVE_LIST)
        .field("BeforeDescriptionComment", comments).field("AfterDescriptionComment", comments);
    ARGUMENT_DEFINITION.field("Description", STRING).field("Name", STRING).field("DefaultValue", new Ptr(VALUE))
        .field("Type", new Ptr(TYPE)).field("Directives", DIRECTIVE_LIST)
        .field("BeforeDescriptionComment", comments).field("AfterDescriptionComment", comments);
    ENUM_VALUE_DEFINITION.field("Description", STRING).field("Name", STRING).field("Directives", DIRECTIVE_LIST)
        .field("BeforeDescriptionComment", comments).field("AfterDescriptionComment", comments);
    DIRECTIVE_DEFINITION.field("Description", STRING).field("Name", STRING).field("Arguments", ARGUMENT_DEFINITION_LIST)
        .field("Locations", new Slice("[]ast.DirectiveLocation", new Str("ast.DirectiveLocation")))
        .field("IsRepeatable", BOOL).field("BeforeDescriptionComment", comments).field("AfterDescriptionComment", comments);
  }

  private GoTypes() {}
}
